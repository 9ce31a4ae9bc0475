using Gateway.Scripting.Testing;

namespace Gateway.Tests.Infrastructure;

/// <summary>Where the repository's own files are, found the way the testing API finds transforms.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = Path.GetDirectoryName(TransformFiles.Find("Gateway.sln"))!;

    public static string Transforms => Path.Combine(Root, "Transforms");

    public static string Fixtures => Path.Combine(Root, "Gateway.Tests", "Fixtures");

    public static string GatewayProject => Path.Combine(Root, "Gateway");
}
