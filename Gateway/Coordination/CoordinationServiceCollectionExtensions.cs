using Gateway.Coordination;
using Gateway.Management.Health;
using Gateway.Webhooks.Delivery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <c>Gateway:Redis</c>: its options and their validation always; the connection, its metrics and its
/// readiness check only when <c>Configuration</c> is set, so that a gateway without Redis runs no Redis code at all.
/// </summary>
internal static class CoordinationServiceCollectionExtensions
{
    public static IServiceCollection AddCoordination(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().Bind(configuration.GetSection(RedisOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisOptions>, RedisOptionsValidator>());
        if (!RedisOptions.IsEnabled(configuration))
        {
            return services;
        }

        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RedisMetrics>();
        services.TryAddSingleton<RedisConnection>();
        services.AddHostedService(provider => provider.GetRequiredService<RedisConnection>());
        services.TryAddSingleton<IFleetFolding, RedisFleetFolding>();
        services.TryAddSingleton<IFleetPacing, RedisFleetPacing>();
        services.TryAddSingleton<IFleetQueue, RedisWebhookStream>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>(RedisHealthCheck.Name, tags: [HealthTags.Ready]);
        return services;
    }
}
