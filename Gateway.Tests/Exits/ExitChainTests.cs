using System.Net;
using Gateway.Hosting;
using Gateway.Tests.Infrastructure;
using Serilog.Events;

namespace Gateway.Tests.Exits;

/// <summary>
/// The gateway's own terminations and the upstream's responses end in the same tail (<c>ExitChain</c>): a chain that
/// leaves a body JSON cannot write falls back, for either, to the response as it was before the chain, logged with one
/// event.
/// </summary>
public sealed class ExitChainTests : IAsyncLifetime
{
    // Whatever it is given, leaves a body JSON cannot represent.
    private const string NotANumber = "Body = new JsonObject { [\"ratio\"] = double.NaN };\n";

    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    // In transform hosts the host finds the body unwritable and logs the same event for the gateway; in-process the
    // gateway's ExitChain does.
    [Theory]
    [InlineData("Process")]
    [InlineData("InProcess")]
    public async Task UnwritableBody_GatewayAndUpstreamSources_TakeTheSameFallback(string isolation)
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("nan.csx").WithGlobalFilter(sources: "All");
        settings["Gateway:Transforms:Isolation"] = isolation;
        await using var gateway = await TestGateway.StartAsync(
            settings,
            [],
            files: new Dictionary<string, string> { ["nan.csx"] = NotANumber });

        // The gateway's own 404: its own body, as before the chain.
        using var own = await gateway.Client.GetAsync("/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, own.StatusCode);
        Assert.Equal("""{"message":"No route matched the request"}""", await own.Content.ReadAsStringAsync());

        // The upstream's 404: its own body, byte for byte, as it came.
        using var upstream = await gateway.Client.GetAsync("/open/errors/json-404");
        Assert.Equal(HttpStatusCode.NotFound, upstream.StatusCode);
        Assert.Equal(TestUpstream.NotFoundJson, await upstream.Content.ReadAsStringAsync());

        await gateway.Logs.WaitForAsync(_ => gateway.Logs.Events.Count(IsUnwritable) >= 2);
        var fallbacks = gateway.Logs.Events.Where(IsUnwritable).ToArray();
        Assert.Equal(2, fallbacks.Length);
        Assert.All(fallbacks, e =>
        {
            Assert.Equal(LogEventLevel.Error, e.Level);
            Assert.Equal(fallbacks[0].RenderMessage(System.Globalization.CultureInfo.InvariantCulture), e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains("cannot be written", e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        });
    }

    private static bool IsUnwritable(LogEvent e) =>
        e.Properties.TryGetValue("EventId", out var id) && id is StructureValue structure
        && structure.Properties.Any(p => p.Name == "Id" && p.Value is ScalarValue { Value: int value } && value == EventIds.ExitUnwritable);
}
