using System.Runtime.CompilerServices;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>Where the repository's own files are: found above the binaries, or above this source file when built elsewhere.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The sample transforms: <c>Transforms/</c>.</summary>
    public static string Transforms => Path.Combine(Root, "Transforms");

    private static string FindRoot([CallerFilePath] string sourceFile = "") =>
        FindAbove(AppContext.BaseDirectory) ?? FindAbove(Path.GetDirectoryName(sourceFile)!)
        ?? throw new InvalidOperationException("Gateway.sln not found above " + AppContext.BaseDirectory);

    private static string? FindAbove(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
