namespace Gateway.Transforms;

/// <summary>Holds the catalog in use; whoever compiles a new one swaps it in atomically.</summary>
internal sealed class TransformCatalogProvider
{
    private volatile TransformCatalog _current = TransformCatalog.Empty;

    public TransformCatalog Current => _current;

    public void Swap(TransformCatalog catalog) => _current = catalog;
}
