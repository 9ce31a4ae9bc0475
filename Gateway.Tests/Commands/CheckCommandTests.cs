using Gateway.Commands;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Commands;

/// <summary>The <c>check</c> command, on the bundled configuration and on a broken one.</summary>
public sealed class CheckCommandTests
{
    [Fact]
    public void Check_BundledConfiguration_PassesWithExitCodeZero()
    {
        using var output = new StringWriter();

        var exit = CheckCommand.Run([], RepositoryPaths.GatewayProject, output);

        Assert.True(exit == 0, output.ToString());
        Assert.Matches(@"check: \d+ transforms in .+Transforms, 0 errors", output.ToString());
    }

    [Fact]
    public void Check_BrokenTransformsAndConfiguration_ListsEveryFindingAndExitsOne()
    {
        using var root = new TempFolder("gateway-check-");
        var transforms = Directory.CreateDirectory(root.Combine("Transforms")).FullName;
        File.WriteAllText(Path.Combine(transforms, "typo.csx"), "// a typo\nStatus = Statuss;\n");
        File.WriteAllText(Path.Combine(transforms, "peek.csx"), "Text = Environment.GetEnvironmentVariable(\"X\");\n");
        File.WriteAllText(root.Combine("appsettings.json"), """
            {
              "Gateway": { "Transforms": {
                "Path": "Transforms",
                "Global": { "Transforms": [ "typo.csx", "gone.csx" ], "Status": "200-299" },
                "Budget": { "WallTime": "00:00:00" }
              } },
              "ReverseProxy": {
                "Routes": { "r1": { "ClusterId": "nowhere", "Match": { "Path": "/{**all}" } } },
                "Clusters": { "c1": { "Destinations": { "d": { "Address": "http://127.0.0.1:1/" } } } }
              }
            }
            """);
        using var output = new StringWriter();

        var exit = CheckCommand.Run([], root.Path, output);

        var text = output.ToString();
        Assert.Equal(1, exit);
        Assert.Matches(@"typo\.csx\(2,10\): error CS0103: ", text);
        Assert.Matches(@"peek\.csx\(1,8\): error GW0106: ", text);
        Assert.Matches(@"gone\.csx\(1,1\): error GW0002: ", text);
        Assert.Matches(@"appsettings\.json\(1,1\): error GW0003: Gateway:Transforms:Global:Status", text);
        Assert.Matches(@"appsettings\.json\(1,1\): error GW0003: Gateway:Transforms:Budget: ", text);
        Assert.Matches(@"appsettings\.json\(1,1\): error GW0005: ReverseProxy:Routes:r1 names cluster 'nowhere'", text);
        Assert.Contains("check: 2 transforms", text, StringComparison.Ordinal);
    }
}
