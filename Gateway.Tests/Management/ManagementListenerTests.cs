using System.Net;
using System.Text.Json.Nodes;
using Gateway.Exits;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Management;

/// <summary>The management listener on its own port: probes, and what never crosses between it and the proxy.</summary>
public sealed class ManagementListenerTests(UpstreamAndSlack standIns) : IClassFixture<UpstreamAndSlack>
{
    private TestUpstream Upstream => standIns.Upstream;

    [Fact]
    public async Task Listener_IsAServerOfItsOwn_OnAnotherPort()
    {
        await using var gateway = await TestGateway.StartAsync(GatewaySettings.For(Upstream.Address), []);

        Assert.NotNull(gateway.ManagementAddress);
        Assert.Equal("127.0.0.1", gateway.ManagementAddress.Host);
        Assert.NotEqual(gateway.Address.Port, gateway.ManagementAddress.Port);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    [InlineData("/status/transforms")]
    [InlineData("/")]
    public async Task ProxyPort_NeverServesManagementPaths(string path)
    {
        await using var gateway = await TestGateway.StartAsync(GatewaySettings.For(Upstream.Address), []);

        using var proxied = await gateway.Client.GetAsync(path);
        using var managed = await gateway.Management.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, managed.StatusCode);
    }

    [Fact]
    public async Task ManagementPort_NeverProxies()
    {
        await using var gateway = await TestGateway.StartAsync(GatewaySettings.For(Upstream.Address), []);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/open/") { Headers = { Host = "example.com" } };
        using var response = await gateway.Management.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task EmptyUrls_TurnTheListenerOff()
    {
        var settings = GatewaySettings.For(Upstream.Address);
        settings["Gateway:Management:Urls"] = string.Empty;
        await using var gateway = await TestGateway.StartAsync(settings, []);

        Assert.Null(gateway.ManagementAddress);
        using var proxied = await gateway.Client.GetAsync("/open/");
        Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
    }

    [Fact]
    public async Task Healthz_IsAlive_AndReadyz_NamesTheTransformCatalog()
    {
        await using var gateway = await TestGateway.StartAsync(
            GatewaySettings.For(Upstream.Address).WithGlobal("arr.csx"), ["Transforms/arr.csx"]);

        using var alive = await gateway.Management.GetAsync("/healthz");
        using var ready = await gateway.Management.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)report["status"]);
        Assert.Contains("transforms", report["checks"]!.AsArray().Select(check => (string?)check!["name"]));
    }

    [Fact]
    public async Task Readyz_Answers503_NamingABoundTransformWithNoCompiledVersion()
    {
        await using var gateway = await TestGateway.StartAsync(GatewaySettings.For(Upstream.Address), ["Transforms/arr.csx"]);

        // A binding added while the gateway runs, to a file that does not exist: the reload refuses it.
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();
        configuration["Gateway:Transforms:Routes:open:Transforms:0"] = "missing.csx";
        configuration.Reload();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        string body;
        do
        {
            await Task.Delay(50);
            using var ready = await gateway.Management.GetAsync("/readyz");
            status = ready.StatusCode;
            body = await ready.Content.ReadAsStringAsync();
        }
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var report = JsonNode.Parse(body)!;
        Assert.Equal("Unhealthy", (string?)report["status"]);
        Assert.Equal("transforms", (string?)report["notReady"]![0]);
        Assert.Contains("missing.csx", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probes_NeverRunATransform_NorCountAsRequests()
    {
        var settings = GatewaySettings.For(Upstream.Address, standIns.Slack.Url).WithGlobal("slack-alert.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);

        for (var i = 0; i < 20; i++)
        {
            foreach (var path in new[] { "/healthz", "/readyz", "/metrics", "/status/transforms", "/status/routes", "/nothing-here" })
            {
                using var response = await gateway.Management.GetAsync(path);
            }
        }

        var stats = gateway.Service<TransformRunStats>();
        Assert.Equal(0, stats.For("slack-alert.csx").Runs);
        Assert.Empty(gateway.Service<RecentTerminations>().Latest());
        Assert.Empty(standIns.Slack.Posts);
    }
}
