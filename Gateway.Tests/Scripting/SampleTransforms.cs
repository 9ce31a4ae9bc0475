using System.Runtime.CompilerServices;

namespace Gateway.Tests.Scripting;

/// <summary>The sample transforms shipped in the repository's <c>Transforms/</c> folder.</summary>
internal static class SampleTransforms
{
    /// <summary>The full path of <c>Transforms/</c>.</summary>
    public static string Folder { get; } = Path.Combine(FindRepositoryRoot(), "Transforms");

    /// <summary>The file name of every <c>.csx</c> in <see cref="Folder"/>, e.g. <c>arr.csx</c>.</summary>
    public static IReadOnlyList<string> FileNames =>
        [.. Directory.EnumerateFiles(Folder, "*.csx").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary><see cref="FileNames"/> as <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names() => new(FileNames);

    // Walks up from the test binaries; when they were built elsewhere (--artifacts-path), from this source file.
    private static string FindRepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"Gateway.sln not found above {AppContext.BaseDirectory} or {sourceFile}.");
    }
}
