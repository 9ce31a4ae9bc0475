using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Infrastructure;

/// <summary>The sample transforms shipped in the repository's <c>Transforms/</c> folder.</summary>
internal static class SampleTransforms
{
    /// <summary>The full path of <c>Transforms/</c>.</summary>
    public static string Folder => RepositoryPaths.Transforms;

    /// <summary>The file name of every <c>.csx</c> in <see cref="Folder"/>, e.g. <c>arr.csx</c>.</summary>
    public static IReadOnlyList<string> FileNames =>
        [.. Directory.EnumerateFiles(Folder, "*.csx").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary><see cref="FileNames"/> as <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Names() => new(FileNames);
}
