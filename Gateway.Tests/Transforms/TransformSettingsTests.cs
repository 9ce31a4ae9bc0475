using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Transforms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Serilog.Events;

namespace Gateway.Tests.Transforms;

/// <summary>
/// Editing <c>Gateway:Transforms</c> in a JSON file (reloadOnChange) under a running gateway: a live key takes effect,
/// a start-up key says it needs a restart, an invalid section and a binding to an unknown route are refused with the
/// key named while the last good settings keep serving.
/// </summary>
public sealed class TransformSettingsTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    // Says whether it got the upstream's body: MaxUpstreamBodyBytes 0 means it never does.
    private const string Seen = "Headers[\"x-seen\"] = Body is null ? \"no\" : \"yes\";\n";

    private TestUpstream _upstream = null!;
    private string _folder = null!;

    private string SettingsFile => Path.Combine(_folder, "transforms.json");

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _folder = Directory.CreateTempSubdirectory("gateway-settings-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task MaxUpstreamBodyBytes_Edited_TakesEffectLive()
    {
        await File.WriteAllTextAsync(SettingsFile, Section(maxUpstreamBodyBytes: 0));
        await using var gateway = await Start();
        Assert.Equal("no", await SeenOf(gateway));

        await File.WriteAllTextAsync(SettingsFile, Section(maxUpstreamBodyBytes: 65536));

        await Eventually(async () => await SeenOf(gateway) == "yes", "the new MaxUpstreamBodyBytes to apply");
        Assert.DoesNotContain(gateway.Logs.Events, e => e.Level >= LogEventLevel.Warning && e.MessageTemplate.Text.Contains("SettingKey", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostsCount_Edited_WarnsOnceThatItNeedsARestart_AndKeepsItsStartUpValue()
    {
        await File.WriteAllTextAsync(SettingsFile, Section(hostsCount: 1));
        await using var gateway = await Start();

        await File.WriteAllTextAsync(SettingsFile, Section(hostsCount: 3));

        var warning = await gateway.Logs.WaitForAsync(e => e.Properties.TryGetValue("SettingKey", out _), Patience);
        Assert.Equal(LogEventLevel.Warning, warning.Level);
        Assert.Equal("\"Gateway:Transforms:Hosts:Count\"", warning.Properties["SettingKey"].ToString());
        Assert.Equal(1, gateway.Service<IOptionsMonitor<TransformOptions>>().CurrentValue.Hosts.Count);

        // Saving again, unchanged, says nothing more.
        await File.WriteAllTextAsync(SettingsFile, Section(hostsCount: 3, maxUpstreamBodyBytes: 1024));
        await Eventually(() => Task.FromResult(gateway.Service<IOptionsMonitor<TransformOptions>>().CurrentValue.MaxUpstreamBodyBytes == 1024), "the second save to load");
        Assert.Single(gateway.Logs.Events, e => e.Properties.TryGetValue("SettingKey", out _));
    }

    [Theory]
    [InlineData("Status", "200-599", "Gateway:Transforms:Routes:open:Status")]
    [InlineData("Route", "opne", "Gateway:Transforms:Routes:opne")]
    public async Task InvalidEdit_IsRefusedNamingTheKey_TheLastGoodSettingsKeepServing(string what, string value, string key)
    {
        await File.WriteAllTextAsync(SettingsFile, Section(maxUpstreamBodyBytes: 65536));
        await using var gateway = await Start();
        Assert.Equal("yes", await SeenOf(gateway));

        await File.WriteAllTextAsync(SettingsFile, what == "Status" ? Section(maxUpstreamBodyBytes: 0, status: value) : Section(maxUpstreamBodyBytes: 0, route: value));

        var refused = await gateway.Logs.WaitForAsync(e => e.Properties.TryGetValue("Problems", out _), Patience);
        Assert.Equal(LogEventLevel.Error, refused.Level);
        Assert.Contains(key, refused.Properties["Problems"].ToString(), StringComparison.Ordinal);

        // Nothing of the refused section applies, and reading the settings does not throw.
        Assert.Equal(65536, gateway.Service<IOptionsMonitor<TransformOptions>>().CurrentValue.MaxUpstreamBodyBytes);
        Assert.Equal("yes", await SeenOf(gateway));
    }

    [Fact]
    public async Task BindingToAnUnknownRoute_StopsStartUp_NamingTheKey()
    {
        await File.WriteAllTextAsync(SettingsFile, Section(maxUpstreamBodyBytes: 0, route: "opne"));

        var error = await Assert.ThrowsAnyAsync<Exception>(Start);

        Assert.Contains("Gateway:Transforms:Routes:opne binds transforms to route 'opne', which ReverseProxy:Routes does not define.", error.Message, StringComparison.Ordinal);
    }

    private Task<TestGateway> Start() => TestGateway.StartAsync(
        GatewaySettings.For(_upstream.Address),
        [],
        configure: builder => builder.Configuration.AddJsonFile(SettingsFile, optional: false, reloadOnChange: true),
        files: new Dictionary<string, string> { ["seen.csx"] = Seen });

    private static string Section(int maxUpstreamBodyBytes = 65536, int hostsCount = 1, string route = "open", string? status = null)
    {
        var binding = new JsonObject { ["Transforms"] = new JsonArray("seen.csx"), ["Sources"] = "Upstream" };
        if (status is not null)
        {
            binding["Status"] = status;
        }

        return new JsonObject
        {
            ["Gateway"] = new JsonObject
            {
                ["Transforms"] = new JsonObject
                {
                    ["MaxUpstreamBodyBytes"] = maxUpstreamBodyBytes,
                    ["Hosts"] = new JsonObject { ["Count"] = hostsCount },
                    ["Routes"] = new JsonObject { [route] = binding },
                },
            },
        }.ToJsonString();
    }

    private static async Task<string?> SeenOf(TestGateway gateway)
    {
        using var response = await gateway.Client.GetAsync("/open/errors/json-404");
        return response.Headers.TryGetValues("x-seen", out var values) ? values.Single() : null;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {Patience} for {what}");
            await Task.Delay(50);
        }
    }
}
