using Gateway.Scripting.Testing;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>Where the repository's own files are, found the way the testing API finds transforms.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Path.GetDirectoryName(TransformFiles.Find("Gateway.sln"))!;

    /// <summary>The sample transforms: <c>Transforms/</c>.</summary>
    public static string Transforms => Path.Combine(Root, "Transforms");
}
