using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.EndToEnd;

/// <summary>A <c>Gateway:Transforms</c> filter or limit that does not parse stops start-up, naming its key.</summary>
public sealed class UpstreamConfigurationTests
{
    private static readonly Uri Upstream = new("http://127.0.0.1:1/");

    [Theory]
    [InlineData("Gateway:Transforms:Routes:open:Status", "200-599", "outside 300-599")]
    [InlineData("Gateway:Transforms:Routes:open:Status", "5xx,abc", "'abc'")]
    [InlineData("Gateway:Transforms:Global:Status", "599-500", "end is below its start")]
    [InlineData("Gateway:Transforms:Global:Sources", "Elsewhere", "Gateway, Upstream or All")]
    [InlineData("Gateway:Transforms:Global:Sources", "3", "Gateway, Upstream or All")]
    [InlineData("Gateway:Transforms:MaxUpstreamBodyBytes", "-1", "within 0-")]
    public async Task InvalidSetting_StopsStartUpNamingTheKey(string key, string value, string why)
    {
        var settings = GatewaySettings.For(Upstream).WithRoute("open", "mark-seen.csx");
        settings[key] = value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => TestGateway.StartAsync(settings, ["Gateway.Tests/Transforms/Fixtures/mark-seen.csx"]));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith($"{key} is ", failure, StringComparison.Ordinal);
        Assert.Contains(why, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidFilters_Start()
    {
        var settings = GatewaySettings.For(Upstream)
            .WithGlobal("mark-seen.csx").WithGlobalFilter(status: "429, 5xx", sources: "Gateway, Upstream")
            .WithRoute("open", "mark-seen.csx").WithRouteFilter("open", status: "300-399,404", sources: "upstream")
            .WithMaxUpstreamBodyBytes(0);

        await using var gateway = await TestGateway.StartAsync(settings, ["Gateway.Tests/Transforms/Fixtures/mark-seen.csx"]);

        Assert.NotNull(gateway.Address);
    }
}
