using Gateway.Management;
using Gateway.Management.Health;
using Gateway.Management.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the management listener (<c>Gateway:Management</c>), its readiness checks, OpenTelemetry and what the
/// status API reads. More readiness checks join with <c>AddHealthChecks().AddCheck&lt;T&gt;(name, tags: [HealthTags.Ready])</c>.
/// </summary>
internal static class ManagementServiceCollectionExtensions
{
    public static IServiceCollection AddManagement(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ManagementOptions>().Bind(configuration.GetSection(ManagementOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ManagementOptions>, ManagementOptionsValidator>());
        services.AddGatewayTelemetry(configuration);
        services.AddHealthChecks()
            .AddCheck<TransformCatalogHealthCheck>(TransformCatalogHealthCheck.Name, tags: [HealthTags.Ready]);
        services.TryAddSingleton<WebhookCounts>();
        services.TryAddSingleton<ManagementServer>();
        services.AddHostedService(provider => provider.GetRequiredService<ManagementServer>());
        return services;
    }
}
