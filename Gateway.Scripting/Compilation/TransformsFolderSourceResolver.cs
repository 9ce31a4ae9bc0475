using Microsoft.CodeAnalysis;

namespace Gateway.Scripting.Compilation;

/// <summary>
/// Resolves <c>#load</c> only to files inside the transforms folder. The path is checked before the file is
/// read, so a script cannot make the compiler read (and quote in its diagnostics) a file outside it.
/// </summary>
internal sealed class TransformsFolderSourceResolver : SourceReferenceResolver
{
    private readonly string _root;
    private readonly SourceFileResolver _inner;

    public TransformsFolderSourceResolver(string root)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        _inner = new SourceFileResolver([], _root);
    }

    public override string? NormalizePath(string path, string? baseFilePath) => _inner.NormalizePath(path, baseFilePath);

    public override string? ResolveReference(string path, string? baseFilePath)
    {
        var resolved = _inner.ResolveReference(path, baseFilePath);
        return resolved is not null && IsInside(resolved) ? resolved : null;
    }

    public override Stream OpenRead(string resolvedPath)
    {
        if (!IsInside(resolvedPath))
        {
            throw new UnauthorizedAccessException("Scripts may #load only files inside the transforms folder.");
        }

        return _inner.OpenRead(resolvedPath);
    }

    public override bool Equals(object? other) => other is TransformsFolderSourceResolver o && o._root == _root;

    public override int GetHashCode() => _root.GetHashCode(StringComparison.Ordinal);

    private bool IsInside(string path) => Path.GetFullPath(path).StartsWith(_root, StringComparison.Ordinal);
}
