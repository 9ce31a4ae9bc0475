using Gateway.Scripting.Compilation;

namespace Gateway.Compilation;

/// <summary>
/// A compiler that looks in the <see cref="CompiledTransformCache"/> first: a hit is answered from it without asking
/// <paramref name="inner"/> (so no compiler process starts, and Roslyn does not load in-process); a miss is compiled
/// by <paramref name="inner"/> and, when it compiled, kept.
/// </summary>
internal sealed class CachingTransformCompiler(ITransformCompiler inner, CompiledTransformCache cache) : ITransformCompiler
{
    /// <summary>The compiler that compiles misses.</summary>
    public ITransformCompiler Inner => inner;

    /// <summary>The cache.</summary>
    public CompiledTransformCache Cache => cache;

    /// <inheritdoc />
    public string TransformsFolder => inner.TransformsFolder;

    /// <inheritdoc />
    public async Task<TransformCompilation> CompileAsync(string path, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var fullPath = Path.GetFullPath(path);
        string? key;
        try
        {
            key = cache.KeyOf(fullPath, source);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file it may #load could not be read for the key: the compiler reports what it finds.
            key = null;
        }

        if (key is null)
        {
            return await inner.CompileAsync(fullPath, source, cancellationToken);
        }

        if (cache.Read(key, fullPath) is { } hit)
        {
            return hit;
        }

        var compilation = await inner.CompileAsync(fullPath, source, cancellationToken);
        cache.Write(key, compilation);
        return compilation;
    }
}
