using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Management;

/// <summary><c>/status/transforms</c>, <c>/status/webhooks</c> and <c>/status/routes</c> on a running gateway.</summary>
public sealed class StatusEndpointTests(UpstreamAndSlack standIns) : IClassFixture<UpstreamAndSlack>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Transforms_ShowRunsFailures_AndARefusedReloadWithItsDiagnostics()
    {
        var settings = GatewaySettings.For(standIns.Upstream.Address).WithRoute("secure", "arr.csx").WithRoute("open", "throws.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/arr.csx", "Gateway.Tests/Fixtures/throws.csx"]);
        using (var failing = await gateway.Client.GetAsync("/open/errors/status/503"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        }

        await File.WriteAllTextAsync(Path.Combine(gateway.TransformsFolder, "arr.csx"), "// broken\nHeaders[\"x\"] = undefinedName;\n");
        var refused = await gateway.Logs.WaitForAsync(e => e.MessageTemplate.Text.StartsWith("Reload after a change to", StringComparison.Ordinal)
            && e.MessageTemplate.Text.Contains("refused for", StringComparison.Ordinal), Patience);

        var transforms = await GetJsonAsync(gateway, "/status/transforms");
        var arr = transforms.AsArray().Single(t => (string?)t!["name"] == "arr.csx")!;
        Assert.Equal("reload-refused", (string?)arr["state"]);
        Assert.Contains("error CS0103", (string?)arr["refusedDiagnostics"]![0], StringComparison.Ordinal);
        Assert.Equal(64, ((string?)arr["contentHash"])!.Length);
        Assert.NotNull((string?)arr["compiledAt"]);
        Assert.Equal("secure", (string?)arr["boundTo"]![0]);

        var throws = transforms.AsArray().Single(t => (string?)t!["name"] == "throws.csx")!;
        Assert.Equal("active", (string?)throws["state"]);
        Assert.Equal(1, (int)throws["runs"]!);
        Assert.Equal(1, (int)throws["failures"]!);
        Assert.Equal(0, (int)throws["breaches"]!);
        Assert.Equal("Exception", (string?)throws["lastFailure"]!["kind"]);
        Assert.Contains("this transform always fails", (string?)throws["lastFailure"]!["message"], StringComparison.Ordinal);
        Assert.NotNull((double?)throws["p50Milliseconds"]);
        Assert.NotNull((double?)throws["p99Milliseconds"]);

        // A refused reload is never reported as a reload.
        Assert.DoesNotContain(gateway.Logs.Events, e => e.MessageTemplate.Text.StartsWith("Transforms reloaded", StringComparison.Ordinal));
        Assert.Equal(Serilog.Events.LogEventLevel.Warning, refused.Level);
    }

    [Fact]
    public async Task Webhooks_ShowCountsAndSlacksErrorCode_NeverTheUrl()
    {
        standIns.Slack.Default = SlackAnswer.BadRequest("invalid_payload");
        var settings = GatewaySettings.For(standIns.Upstream.Address, standIns.Slack.Url).WithGlobal("slack-alert.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);

        using (var response = await gateway.Client.GetAsync("/nowhere"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        JsonNode slack;
        var deadline = DateTime.UtcNow + Patience;
        do
        {
            await Task.Delay(50);
            slack = (await GetJsonAsync(gateway, "/status/webhooks")).AsArray().Single()!;
        }
        while (slack["lastFailure"] is null && DateTime.UtcNow < deadline);

        Assert.Equal("slack", (string?)slack["name"]);
        Assert.True((bool)slack["urlConfigured"]!);
        Assert.Equal(1, (int)slack["queued"]!);
        Assert.Equal(1, (int)slack["failed"]!);
        Assert.Equal(0, (int)slack["sent"]!);
        Assert.Equal(0, (int)slack["queueLength"]!);
        Assert.Equal(400, (int)slack["lastFailure"]!["status"]!);
        Assert.Equal("invalid_payload", (string?)slack["lastFailure"]!["errorCode"]);
        Assert.Null(slack["lastSuccess"]);
        await AssertNoSecretAsync(gateway);
    }

    [Fact]
    public async Task Routes_ShowClusterChainAndTerminationsByKind()
    {
        var settings = GatewaySettings.For(standIns.Upstream.Address).WithGlobal("slack-alert.csx").WithRoute("secure", "arr.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx", "Transforms/arr.csx"]);
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "example.com" } };
            using var response = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var response = await gateway.Client.GetAsync("/nowhere"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        // A termination is counted once its response is written, which the client may see first.
        var status = await GetJsonAsync(gateway, "/status/routes");
        for (var deadline = DateTime.UtcNow + Patience; status["latest"]!.AsArray().Count < 4 && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(20);
            status = await GetJsonAsync(gateway, "/status/routes");
        }

        var routes = status["routes"]!.AsArray();
        var secure = routes.Single(r => (string?)r!["route"] == "secure")!;
        Assert.Equal("upstream", (string?)secure["cluster"]);
        Assert.Equal(["slack-alert.csx", "arr.csx"], secure["chain"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(3, (int)secure["terminations"]!["Unauthorized"]!);
        var none = routes.Single(r => (string?)r!["route"] == "(none)")!;
        Assert.Equal(1, (int)none["terminations"]!["NoRoute"]!);
        var latest = status["latest"]!.AsArray();
        Assert.Equal(4, latest.Count);
        Assert.Equal("NoRoute", (string?)latest[0]!["kind"]);
        Assert.Equal(404, (int)latest[0]!["status"]!);
        await AssertNoSecretAsync(gateway);
    }

    private async Task AssertNoSecretAsync(TestGateway gateway)
    {
        foreach (var path in new[] { "/status/transforms", "/status/webhooks", "/status/routes", "/metrics", "/readyz" })
        {
            var body = await gateway.Management.GetStringAsync(path);
            Assert.DoesNotContain("secret-token", body, StringComparison.Ordinal);
            Assert.DoesNotContain(standIns.Slack.Url.Authority + "/services", body, StringComparison.Ordinal);
            Assert.DoesNotContain(GatewaySettings.ApiKey, body, StringComparison.Ordinal);
        }
    }

    private static async Task<JsonNode> GetJsonAsync(TestGateway gateway, string path)
    {
        using var response = await gateway.Management.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
