using System.Security.Cryptography;
using System.Text;

namespace Gateway.Scripting.Compilation;

/// <summary>
/// How a transform is named and how a version of it is told apart, without a compiler: a gateway that compiles in
/// another process names its transforms and recognises unchanged files with these, and never loads Roslyn.
/// </summary>
public static class TransformIdentity
{
    /// <summary>The hash a compiled transform records of its source (<see cref="CompiledTransform.SourceHash"/>).</summary>
    /// <param name="source">The script's text.</param>
    public static string HashOf(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
    }

    /// <summary>
    /// The name of the transform at <paramref name="path"/>: its path relative to <paramref name="transformsFolder"/>,
    /// with <c>/</c> separators; a file outside the folder is named by its file name.
    /// </summary>
    /// <param name="transformsFolder">The transforms folder.</param>
    /// <param name="path">The transform's file.</param>
    public static string NameOf(string transformsFolder, string path)
    {
        var fullPath = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Path.GetFullPath(transformsFolder), fullPath);
        var name = relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFileName(fullPath) : relative;
        return name.Replace(Path.DirectorySeparatorChar, '/');
    }
}
