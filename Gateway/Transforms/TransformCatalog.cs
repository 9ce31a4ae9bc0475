using System.Collections.Frozen;
using Gateway.Scripting;

namespace Gateway.Transforms;

/// <summary>
/// An immutable set of compiled transforms with the chain each route runs. A request reads the catalog once
/// and keeps it, so a swap (hot reload) never changes the chain under a running request.
/// </summary>
internal sealed class TransformCatalog
{
    public static readonly TransformCatalog Empty = new(FrozenDictionary<string, CompiledTransform>.Empty, [], FrozenDictionary<string, CompiledTransform[]>.Empty);

    private readonly CompiledTransform[] _global;
    private readonly FrozenDictionary<string, CompiledTransform[]> _routes;

    public TransformCatalog(
        FrozenDictionary<string, CompiledTransform> transforms,
        CompiledTransform[] global,
        FrozenDictionary<string, CompiledTransform[]> routes)
    {
        Transforms = transforms;
        _global = global;
        _routes = routes;
    }

    /// <summary>Every transform that compiled, by name.</summary>
    public FrozenDictionary<string, CompiledTransform> Transforms { get; }

    /// <summary>The chain for a termination on <paramref name="routeId"/>: the global transforms, then the route's.</summary>
    public IReadOnlyList<CompiledTransform> ChainFor(string? routeId) =>
        routeId is not null && _routes.TryGetValue(routeId, out var chain) ? chain : _global;
}
