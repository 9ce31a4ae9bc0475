using System.Runtime.CompilerServices;

namespace Gateway.Tests.Infrastructure;

/// <summary>Where the repository's own files are, found from the test assembly's folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Transforms => Path.Combine(Root, "Transforms");

    public static string Fixtures => Path.Combine(Root, "Gateway.Tests", "Fixtures");

    public static string GatewayProject => Path.Combine(Root, "Gateway");

    // The test binaries usually sit under the repository; when they are built elsewhere (--artifacts-path),
    // this source file's own path still leads there.
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
