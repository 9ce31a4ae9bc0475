using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Bench.PlainYarp;

/// <summary>
/// Authenticates by the <c>apikey</c> header; a challenge answers 401 with <c>{"message": "..."}</c>, the body the
/// gateway starts from before its transforms run.
/// </summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private static readonly byte[] NoKey = """{"message":"No API key found in request"}"""u8.ToArray();
    private static readonly byte[] BadKey = """{"message":"Invalid authentication credentials"}"""u8.ToArray();

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers["apikey"].ToString();
        if (presented.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!keys.IsKnown(presented))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid authentication credentials"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "bench")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var body = result.None ? NoKey : BadKey;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Key realm=\"gateway\"";
        Response.ContentType = "application/json; charset=utf-8";
        Response.ContentLength = body.Length;
        await Response.Body.WriteAsync(body);
    }
}
