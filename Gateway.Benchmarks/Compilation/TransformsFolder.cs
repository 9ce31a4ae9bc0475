using Gateway.Benchmarks.Infrastructure;

namespace Gateway.Benchmarks.Compilation;

/// <summary>A temporary transforms folder holding N copies of the sample transforms, each under a name of its own.</summary>
internal static class TransformsFolder
{
    private static readonly string[] Samples = ["arr.csx", "problem-details.csx", "slack-alert.csx"];

    public static string Create(int count)
    {
        var folder = Directory.CreateTempSubdirectory("gateway-bench-transforms-").FullName;
        for (var i = 0; i < count; i++)
        {
            var sample = Samples[i % Samples.Length];

            // A distinct comment per copy, so no two files are the same source.
            var source = $"// copy {i}{Environment.NewLine}" + File.ReadAllText(Path.Combine(RepositoryPaths.Transforms, sample));
            File.WriteAllText(Path.Combine(folder, $"t{i:D2}-{sample}"), source);
        }

        return folder;
    }
}
