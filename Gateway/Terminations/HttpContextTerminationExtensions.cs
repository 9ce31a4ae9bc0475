using Gateway.Scripting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Terminations;

/// <summary>How each stage of the pipeline ends a request: it records why, and the exit middleware answers.</summary>
internal static class HttpContextTerminationExtensions
{
    /// <summary>Ends the request as <paramref name="termination"/> says; the body is written after transforms have run.</summary>
    public static void Terminate(this HttpContext context, GatewayTermination termination)
    {
        context.Response.StatusCode = termination.Status;
        context.Features.Set(new TerminationFeature(termination));
    }
}
