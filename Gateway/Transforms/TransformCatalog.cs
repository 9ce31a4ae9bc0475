using System.Collections.Frozen;
using Gateway.Scripting;

namespace Gateway.Transforms;

/// <summary>
/// An immutable set of compiled transforms with the chains bound globally and per route. A request reads the
/// catalog once and keeps it, so a swap (hot reload) never changes the chain under a running request.
/// </summary>
internal sealed class TransformCatalog
{
    public static readonly TransformCatalog Empty = new(FrozenDictionary<string, CompiledTransform>.Empty, BoundChain.None, FrozenDictionary<string, BoundChain>.Empty);

    private readonly BoundChain _global;
    private readonly FrozenDictionary<string, RouteChains> _routes;

    public TransformCatalog(
        FrozenDictionary<string, CompiledTransform> transforms,
        BoundChain global,
        FrozenDictionary<string, BoundChain> routes)
    {
        Transforms = transforms;
        _global = global;
        _routes = routes.ToFrozenDictionary(
            r => r.Key,
            r => new RouteChains(r.Value, [.. global.Transforms, .. r.Value.Transforms]),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>When each transform's version in this catalog was compiled, by name (status API).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> CompiledAt { get; init; } = FrozenDictionary<string, DateTimeOffset>.Empty;

    /// <summary>
    /// Bound transforms whose latest change was refused when this catalog was built (a reload that does not compile,
    /// or a file that is gone), with the diagnostics: their last good version keeps serving.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Refused { get; init; } = FrozenDictionary<string, IReadOnlyList<string>>.Empty;

    /// <summary>Every transform that compiled, by name.</summary>
    public FrozenDictionary<string, CompiledTransform> Transforms { get; }

    /// <summary>
    /// The chain for a termination with <paramref name="status"/> from <paramref name="source"/> on
    /// <paramref name="routeId"/>: the global transforms if their filter matches, then the route's if theirs does.
    /// </summary>
    public IReadOnlyList<CompiledTransform> ChainFor(string? routeId, int status, TerminationSources source)
    {
        var global = _global.Applies(status, source);
        if (routeId is null || !_routes.TryGetValue(routeId, out var route) || !route.Own.Applies(status, source))
        {
            return global ? _global.Transforms : [];
        }

        return global ? route.AfterGlobal : route.Own.Transforms;
    }

    /// <summary>Whether <see cref="ChainFor"/> would return any transform; allocates nothing.</summary>
    public bool HasChainFor(string? routeId, int status, TerminationSources source) =>
        _global.Applies(status, source)
        || (routeId is not null && _routes.TryGetValue(routeId, out var route) && route.Own.Applies(status, source));

    // A route's own binding, and its transforms after the global ones, built once rather than per termination.
    private sealed record RouteChains(BoundChain Own, CompiledTransform[] AfterGlobal);
}
