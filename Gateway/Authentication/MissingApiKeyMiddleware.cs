using Gateway.Scripting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace Gateway.Authentication;

/// <summary>
/// Answers a request that presents no key at all, on a route that requires one, before the authentication and
/// authorization middleware: the same 401 (<c>WWW-Authenticate</c>, the <see cref="GatewayTerminations.NoApiKey"/>
/// termination and so the transforms, metrics and request log) as the scheme's challenge, without running the
/// handler, the policy evaluation and the challenge to reach it. A key that is presented, valid or not, goes on to
/// the scheme as before. Runs after rate limiting: a flood of keyless requests is still throttled first.
/// </summary>
/// <remarks>
/// What it skips for those requests: ASP.NET Core's own Information lines ("was challenged", "Authorization failed"),
/// which the bundled configuration does not write.
/// </remarks>
internal sealed class MissingApiKeyMiddleware(RequestDelegate next, ApiKeyValidator validator, IOptionsMonitor<ApiKeyAuthenticationOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (RequiresKey(context) && !PresentedApiKey.Of(context, validator).Presented)
        {
            ApiKeyChallenge.Answer(context, options.Get(ApiKeyDefaults.Scheme).Realm, GatewayTerminations.NoApiKey);
            return Task.CompletedTask;
        }

        return next(context);
    }

    private static bool RequiresKey(HttpContext context) =>
        string.Equals(
            context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.AuthorizationPolicy,
            ApiKeyDefaults.Policy,
            StringComparison.OrdinalIgnoreCase);
}
