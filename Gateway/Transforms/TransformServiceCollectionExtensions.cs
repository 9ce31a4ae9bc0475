using Gateway.Compilation;
using Gateway.Scripting;
using Gateway.Scripting.Compilation;
using Gateway.Scripting.Execution;
using Gateway.Transforms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the exit transforms: compiled once at start-up, run on every termination their binding's filter
/// matches. A <c>Gateway:Transforms</c> section that does not validate stops start-up.
/// </summary>
internal static class TransformServiceCollectionExtensions
{
    public static IServiceCollection AddExitTransforms(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TransformOptions>().Bind(configuration.GetSection(TransformOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TransformOptions>, TransformOptionsValidator>());

        // Every reader sees the last good settings, with the start-up-only keys kept as they started.
        services.TryAddSingleton<TransformSettings>();
        services.TryAddSingleton<IOptionsMonitor<TransformOptions>>(provider => provider.GetRequiredService<TransformSettings>());
        // Transforms compile in a compiler process the gateway starts when it needs one, so that Roslyn never loads
        // here, unless Compiler:Isolation says InProcess.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ProcessTransformCompiler>();
        services.AddSingleton<ITransformCompiler, ConfiguredTransformCompiler>();
        services.AddSingleton<TransformCatalogBuilder>();
        services.AddSingleton<TransformCatalogProvider>();
        services.AddTransformIsolation(configuration);
        services.AddHostedService<TransformStartupService>();
        services.AddTransformHostWarmUp();
        services.AddSingleton<TransformReloader>();
        services.AddHostedService(provider => provider.GetRequiredService<TransformReloader>());
        return services;
    }
}
