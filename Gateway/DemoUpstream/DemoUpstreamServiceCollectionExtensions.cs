using Gateway.DemoUpstream;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the demo upstream the bundled configuration proxies to.</summary>
internal static class DemoUpstreamServiceCollectionExtensions
{
    public static IServiceCollection AddDemoUpstream(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoUpstreamOptions>().Bind(configuration.GetSection(DemoUpstreamOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DemoUpstreamOptions>, DemoUpstreamOptionsValidator>());
        services.AddHostedService<DemoUpstreamService>();
        return services;
    }
}
