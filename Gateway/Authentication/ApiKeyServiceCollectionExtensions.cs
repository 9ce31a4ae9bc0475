using Gateway.Authentication;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers API-key authentication and the <c>api-key</c> authorization policy routes name.</summary>
internal static class ApiKeyServiceCollectionExtensions
{
    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiKeyOptions>()
            .Configure(options => configuration.GetSection(ApiKeyOptions.Section).Bind(options.Consumers));
        services.AddSingleton<ApiKeyValidator>();
        services.AddAuthentication()
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, _ => { });
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyDefaults.Policy, policy => policy
                .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
                .RequireAuthenticatedUser());
        return services;
    }

    /// <summary>
    /// Keeps the key from reaching the upstream: on routes that require it, the <c>apikey</c> header and query
    /// parameter are removed before forwarding.
    /// </summary>
    public static IReverseProxyBuilder AddApiKeyStripping(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(context =>
        {
            if (string.Equals(context.Route.AuthorizationPolicy, ApiKeyDefaults.Policy, StringComparison.OrdinalIgnoreCase))
            {
                context.AddRequestHeaderRemove(ApiKeyDefaults.KeyName);
                context.AddQueryRemoveKey(ApiKeyDefaults.KeyName);
            }
        });
}
