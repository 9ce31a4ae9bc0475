using Gateway.Exits;
using Gateway.Scripting;
using Gateway.Transforms;
using Yarp.ReverseProxy;

namespace Gateway.Management.Status;

/// <summary>
/// <c>/status/routes</c>: each route with its cluster, the chain bound to it (global first) and its terminations by kind
/// over the last <see cref="RecentTerminations.Window"/>; plus the latest terminations one by one.
/// </summary>
internal sealed record RouteStatus(string Route, string? Cluster, IReadOnlyList<string> Chain, IReadOnlyDictionary<TerminationKind, long> Terminations)
{
    public static object Read(IProxyStateLookup proxy, TransformOptions bindings, RecentTerminations recent)
    {
        var counts = recent.ByRoute();
        var routes = proxy.GetRoutes()
            .Select(r => r.Config)
            .OrderBy(r => r.RouteId, StringComparer.Ordinal)
            .Select(r => new RouteStatus(
                r.RouteId,
                r.ClusterId,
                [.. bindings.Global.Transforms, .. bindings.Routes.TryGetValue(r.RouteId, out var own) ? own.Transforms : []],
                counts.GetValueOrDefault(r.RouteId) ?? []))
            .ToList();

        // Terminations with no route (404) have a row of their own.
        routes.Add(new RouteStatus(ExitMetrics.NoRoute, null, [.. bindings.Global.Transforms], counts.GetValueOrDefault(ExitMetrics.NoRoute) ?? []));
        return new
        {
            windowMinutes = (int)RecentTerminations.Window.TotalMinutes,
            routes,
            latest = recent.Latest(),
        };
    }
}
