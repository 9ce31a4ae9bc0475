using Gateway.Scripting.Execution;

namespace Gateway.Transforms;

/// <summary>
/// Holds the catalog in use, and is the one place where versions come and go: a new catalog's new versions are
/// prepared by the runner (loaded in-process, or handed to the transform hosts) before it serves, and the versions
/// it retired are released after (runs in flight on them finish first).
/// </summary>
internal sealed class TransformCatalogProvider(ITransformChainRunner runner)
{
    private readonly object _gate = new();
    private volatile TransformCatalog _current = TransformCatalog.Empty;

    /// <summary>The catalog in use.</summary>
    public TransformCatalog Current => _current;

    /// <summary>Puts <paramref name="catalog"/> in use.</summary>
    /// <param name="catalog">The new catalog.</param>
    public void Swap(TransformCatalog catalog)
    {
        lock (_gate)
        {
            var previous = _current;
            var added = catalog.Transforms.Values.Except(previous.Transforms.Values).ToArray();
            foreach (var transform in added)
            {
                runner.Prepare(transform);
            }

            _current = catalog;
            foreach (var retired in previous.Transforms.Values.Except(catalog.Transforms.Values))
            {
                runner.Release(retired);
            }
        }
    }
}
