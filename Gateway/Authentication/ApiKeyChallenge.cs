using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Authentication;

/// <summary>How a request without a valid key is answered, wherever it is caught: the challenge header, then the termination.</summary>
internal static class ApiKeyChallenge
{
    /// <summary>Announces the realm in <c>WWW-Authenticate</c> and ends the request with <paramref name="termination"/>.</summary>
    public static void Answer(HttpContext context, string realm, GatewayTermination termination)
    {
        context.Response.Headers[HeaderNames.WWWAuthenticate] = $"Key realm=\"{realm}\"";
        context.Terminate(termination);
    }
}
