using Gateway.Exits;
using Gateway.Terminations;
using Gateway.Transforms;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Transforms;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Puts the upstream's own non-2xx responses through the exit transforms.</summary>
internal static class UpstreamExitReverseProxyBuilderExtensions
{
    /// <summary>
    /// Adds to every route a request transform that times the upstream, and the response transform that decides,
    /// from the upstream's status, whether the route's bindings see its response.
    /// </summary>
    public static IReverseProxyBuilder AddUpstreamExits(this IReverseProxyBuilder proxy)
    {
        proxy.Services.AddMetrics();
        proxy.Services.TryAddSingleton<ExitMetrics>();
        proxy.Services.TryAddSingleton<ExitChain>();
        proxy.Services.TryAddSingleton<UpstreamResponder>();
        proxy.Services.TryAddSingleton(TimeProvider.System);
        proxy.Services.TryAddSingleton<TransformRunStats>();
        proxy.Services.TryAddSingleton<RecentTerminations>();
        proxy.Services.TryAddSingleton<ExitObserver>();
        return proxy.AddTransforms(context =>
        {
            context.AddRequestTransform(UpstreamTimingFeature.StampAsync);
            context.ResponseTransforms.Add(new UpstreamExitTransform(
                context.Route.RouteId,
                context.Services.GetRequiredService<TransformCatalogProvider>(),
                context.Services));
        });
    }
}
