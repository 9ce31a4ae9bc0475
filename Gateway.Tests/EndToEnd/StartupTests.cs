using Gateway.Tests.Infrastructure;
using Gateway.Transforms;

namespace Gateway.Tests.EndToEnd;

/// <summary>What start-up does with transforms that do not compile and bindings that name nothing.</summary>
public sealed class StartupTests
{
    private static readonly Uri Upstream = new("http://127.0.0.1:1/");

    [Fact]
    public async Task BoundTransformThatDoesNotCompile_StopsStartUpWithFileLineAndCode()
    {
        var settings = GatewaySettings.For(Upstream).WithGlobal("broken.csx");

        var error = await Assert.ThrowsAsync<TransformCatalogException>(
            () => TestGateway.StartAsync(settings, ["Gateway.Tests/Fixtures/broken.csx"]));

        var line = Assert.Single(error.Errors).ToString();
        Assert.Matches(@"^/.+/Transforms/broken\.csx\(3,8\): error CS1061: .*NoSuchMethod", line);
    }

    [Fact]
    public async Task BindingToAMissingFile_StopsStartUpWithGW0002()
    {
        var settings = GatewaySettings.For(Upstream).WithRoute("open", "missing.csx");

        var error = await Assert.ThrowsAsync<TransformCatalogException>(() => TestGateway.StartAsync(settings, []));

        var diagnostic = Assert.Single(error.Errors);
        Assert.Equal("GW0002", diagnostic.Code);
        Assert.Contains("'missing.csx' is bound to route 'open'", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnboundTransformThatDoesNotCompile_IsLoggedAndStartUpGoesOn()
    {
        await using var gateway = await TestGateway.StartAsync(
            GatewaySettings.For(Upstream).WithGlobal("arr.csx"), ["Gateway.Tests/Fixtures/broken.csx", "Transforms/arr.csx"]);

        using var response = await gateway.Client.GetAsync("/nowhere");

        Assert.Equal("No route matched the request, arr!", (string?)System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]);
        Assert.Contains(gateway.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Error && e.RenderMessage(null).Contains("broken.csx(3,8): error CS1061", StringComparison.Ordinal));
    }
}
