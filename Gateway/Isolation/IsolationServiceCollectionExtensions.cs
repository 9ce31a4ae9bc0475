using Gateway.Isolation;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Gateway.Transforms;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers where transforms run, by <c>Gateway:Transforms:Isolation</c>: the transform-host pool (<c>Process</c>,
/// the default), started before the catalog is built so that the hosts receive every transform, or the in-process
/// runner (<c>InProcess</c>).
/// </summary>
internal static class IsolationServiceCollectionExtensions
{
    public static IServiceCollection AddTransformIsolation(this IServiceCollection services, IConfiguration configuration)
    {
        var isolation = configuration.GetValue(
            $"{TransformOptions.Section}:{nameof(TransformOptions.Isolation)}", TransformIsolation.Process);
        if (isolation == TransformIsolation.InProcess)
        {
            // The threads that run and watch transforms: the container owns them and stops them on disposal.
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton(provider => new ScriptExecution(time: provider.GetRequiredService<TimeProvider>()));
            services.AddSingleton<ITransformChainRunner>(provider => new TransformRunner(
                provider.GetRequiredService<IWebhookSender>(),
                provider.GetRequiredService<ILoggerFactory>(),
                provider.GetRequiredService<IOptions<TransformOptions>>().Value.Budget,
                provider.GetRequiredService<TimeProvider>(),
                execution: provider.GetRequiredService<ScriptExecution>()));
            return services;
        }

        services.AddSingleton<TransformHostPool>();
        services.AddSingleton<ITransformChainRunner>(provider => provider.GetRequiredService<TransformHostPool>());
        services.AddHostedService(provider => provider.GetRequiredService<TransformHostPool>());
        services.AddHealthChecks().AddCheck<TransformHostsHealthCheck>(TransformHostsHealthCheck.Name, tags: [Gateway.Management.Health.HealthTags.Ready]);
        return services;
    }

    /// <summary>
    /// With transform hosts, holds start-up until they are warm; registered after the catalog's start-up service,
    /// so that hosts warm up while transforms compile.
    /// </summary>
    public static IServiceCollection AddTransformHostWarmUp(this IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ServiceType == typeof(TransformHostPool)))
        {
            services.AddHostedService<TransformHostWarmUp>();
        }

        return services;
    }
}
