using Gateway.Scripting.Sandbox;
using Microsoft.CodeAnalysis;

namespace Gateway.Scripting.Compilation;

/// <summary>
/// Resolves <c>#load</c> only to files inside the transforms folder. The path is checked before the file is
/// read, with symbolic links resolved, so a script cannot make the compiler read (and quote in its diagnostics)
/// a file outside it. Sources rewritten by the sandbox are served in place of the files they came from.
/// </summary>
internal sealed class TransformsFolderSourceResolver : SourceReferenceResolver
{
    private readonly string _root;
    private readonly SourceFileResolver _inner;

    private readonly IReadOnlyDictionary<string, string> _rewritten;

    public TransformsFolderSourceResolver(string root, IReadOnlyDictionary<string, string>? rewritten = null)
    {
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar;
        _inner = new SourceFileResolver([], _root);
        _rewritten = rewritten ?? new Dictionary<string, string>();
    }

    /// <summary>The same folder, serving <paramref name="rewritten"/> sources (by full path) instead of the files.</summary>
    public TransformsFolderSourceResolver WithRewritten(IReadOnlyDictionary<string, string> rewritten) => new(_root, rewritten);

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

        return _rewritten.TryGetValue(resolvedPath, out var source)
            ? new MemoryStream(System.Text.Encoding.UTF8.GetBytes(source), writable: false)
            : _inner.OpenRead(resolvedPath);
    }

    public override bool Equals(object? other) =>
        other is TransformsFolderSourceResolver o && o._root == _root && ReferenceEquals(o._rewritten, _rewritten);

    public override int GetHashCode() => _root.GetHashCode(StringComparison.Ordinal);

    private bool IsInside(string path) => RealPath.IsInside(path, _root);
}
