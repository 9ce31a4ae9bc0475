using System.Security.Claims;
using System.Text.Encodings.Web;
using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Authentication;

/// <summary>
/// Authenticates a request by the key in its <c>apikey</c> header or query parameter. A route requires it by
/// naming the <c>api-key</c> policy in its <c>AuthorizationPolicy</c>; a failure becomes a 401 termination.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyValidator validator)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // Checked once per request: a rate limit that counts by consumer may have asked already.
        var key = PresentedApiKey.Of(Context, validator);
        if (!key.Presented)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (key.Consumer is not { } consumer)
        {
            return Task.FromResult(AuthenticateResult.Fail(GatewayTerminations.InvalidApiKey.Message));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, consumer)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        ApiKeyChallenge.Answer(Context, Options.Realm, result.None ? GatewayTerminations.NoApiKey : GatewayTerminations.InvalidApiKey);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Context.Terminate(GatewayTerminations.Forbidden);
        return Task.CompletedTask;
    }
}
