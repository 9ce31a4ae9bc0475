using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Transforms;

/// <summary>Editing, breaking, replacing and deleting transforms under a running gateway, and rebinding them.</summary>
public sealed class HotReloadTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task EditedTransform_ServesItsNewVersion_WithinASecondOrSo()
    {
        await using var gateway = await StartWith("mark.csx", Mark("v1"));
        Assert.Equal("v1", await MarkOf(gateway));

        var clock = Stopwatch.StartNew();
        await File.WriteAllTextAsync(Path.Combine(gateway.TransformsFolder, "mark.csx"), Mark("v2"));
        await Eventually(gateway, "v2");
        clock.Stop();

        // Reported in the issue's closing note; asserted loosely, machines are shared.
        Assert.True(clock.Elapsed < Patience, $"took {clock.Elapsed}");
        Console.WriteLine($"hot reload: write to new version serving in {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task BrokenEdit_IsNotSwappedIn_TheLastGoodVersionKeepsServing_AndTheErrorIsLogged()
    {
        await using var gateway = await StartWith("mark.csx", Mark("v1"));

        await File.WriteAllTextAsync(Path.Combine(gateway.TransformsFolder, "mark.csx"), "// broken\nHeaders[\"x-mark\"] = undefinedName;\n");
        var refused = await gateway.Logs.WaitForAsync(e => e.MessageTemplate.Text.StartsWith("Reload of transform", StringComparison.Ordinal), Patience);

        Assert.Matches(@"mark\.csx\(2,21\): error CS0103", refused.Properties["Diagnostic"].ToString());
        Assert.Equal(Serilog.Events.LogEventLevel.Error, refused.Level);
        Assert.Equal("v1", await MarkOf(gateway));

        await File.WriteAllTextAsync(Path.Combine(gateway.TransformsFolder, "mark.csx"), Mark("v3"));
        await Eventually(gateway, "v3");
    }

    [Fact]
    public async Task ForbiddenEdit_IsNotSwappedIn()
    {
        await using var gateway = await StartWith("mark.csx", Mark("v1"));

        await File.WriteAllTextAsync(Path.Combine(gateway.TransformsFolder, "mark.csx"), "Headers[\"x-mark\"] = System.IO.File.ReadAllText(\"/etc/hostname\");\n");
        var refused = await gateway.Logs.WaitForAsync(e => e.MessageTemplate.Text.StartsWith("Reload of transform", StringComparison.Ordinal), Patience);

        Assert.Contains("error GW0101", refused.Properties["Diagnostic"].ToString(), StringComparison.Ordinal);
        Assert.Equal("v1", await MarkOf(gateway));
    }

    [Fact]
    public async Task WriteThenRenameSave_IsPickedUp()
    {
        await using var gateway = await StartWith("mark.csx", Mark("v1"));
        var temp = Path.Combine(gateway.TransformsFolder, ".mark.csx.swp");

        await File.WriteAllTextAsync(temp, Mark("renamed"));
        File.Move(temp, Path.Combine(gateway.TransformsFolder, "mark.csx"), overwrite: true);

        await Eventually(gateway, "renamed");
    }

    [Fact]
    public async Task DeletedBoundFile_KeepsServingItsLastGoodVersion()
    {
        await using var gateway = await StartWith("mark.csx", Mark("v1"));

        File.Delete(Path.Combine(gateway.TransformsFolder, "mark.csx"));
        await gateway.Logs.WaitForAsync(e => e.MessageTemplate.Text.Contains("keeps serving its last good version", StringComparison.Ordinal), Patience);

        Assert.Equal("v1", await MarkOf(gateway));
    }

    [Fact]
    public async Task Polling_EditedTransform_ServesItsNewVersion()
    {
        // For volumes where inotify never fires: the folder is polled (every 4 s, PhysicalFileProvider's interval).
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("mark.csx");
        settings["Gateway:Transforms:Reload:UsePolling"] = "true";
        await using var gateway = await TestGateway.StartAsync(settings, [], files: new Dictionary<string, string> { ["mark.csx"] = Mark("v1") });
        Assert.True(gateway.Service<Gateway.Transforms.TransformReloader>().Polling);
        Assert.Equal("v1", await MarkOf(gateway));

        // Saved the way editors save: a temporary file renamed over the transform.
        var temp = Path.Combine(gateway.TransformsFolder, ".mark.csx.tmp");
        await File.WriteAllTextAsync(temp, Mark("polled"));
        File.Move(temp, Path.Combine(gateway.TransformsFolder, "mark.csx"), overwrite: true);

        await Eventually(gateway, "polled", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task NewFile_PickedUpByAChangedBinding_Runs()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-bindings-").FullName;
        try
        {
            var bindings = Path.Combine(folder, "bindings.json");
            await File.WriteAllTextAsync(bindings, Bindings("mark.csx"));
            await using var gateway = await TestGateway.StartAsync(
                GatewaySettings.For(_upstream.Address),
                [],
                configure: builder => builder.Configuration.AddJsonFile(bindings, optional: false, reloadOnChange: true),
                files: new Dictionary<string, string> { ["mark.csx"] = Mark("v1") });
            Assert.Equal("v1", await MarkOf(gateway));

            await File.WriteAllTextAsync(Path.Combine(gateway.TransformsFolder, "second.csx"), "Headers[\"x-second\"] = \"yes\";\n");
            await File.WriteAllTextAsync(bindings, Bindings("mark.csx", "second.csx"));

            var deadline = DateTime.UtcNow + Patience;
            string? second = null;
            while (second is null && DateTime.UtcNow < deadline)
            {
                using var response = await gateway.Client.GetAsync("/nowhere");
                second = response.Headers.TryGetValues("x-second", out var values) ? values.Single() : null;
                await Task.Delay(50);
            }

            Assert.Equal("yes", second);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Bindings(params string[] transforms) =>
        new JsonObject { ["Gateway"] = new JsonObject { ["Transforms"] = new JsonObject { ["Global"] = new JsonObject { ["Transforms"] = new JsonArray([.. transforms.Select(t => (JsonNode)t)]) } } } }.ToJsonString();

    private static string Mark(string version) => $"Headers[\"x-mark\"] = \"{version}\";\n";

    private Task<TestGateway> StartWith(string name, string source) =>
        TestGateway.StartAsync(GatewaySettings.For(_upstream.Address).WithGlobal(name), [], files: new Dictionary<string, string> { [name] = source });

    private static async Task<string?> MarkOf(TestGateway gateway)
    {
        using var response = await gateway.Client.GetAsync("/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        return response.Headers.TryGetValues("x-mark", out var values) ? values.Single() : null;
    }

    private static async Task Eventually(TestGateway gateway, string mark, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (await MarkOf(gateway) != mark)
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{mark}' was not served within {patience ?? Patience}");
            await Task.Delay(20);
        }
    }
}
