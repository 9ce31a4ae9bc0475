using Gateway.Hosting;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.EndToEnd;

/// <summary><c>Webhooks.Send</c> from a script, delivered to a real loopback server standing in for Slack.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _slack = await SlackStandIn.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task SlackAlert_PostsMethodHostPathStatusAndMessage()
    {
        var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/orders/42");
        request.Headers.Host = "example.com";

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var post = JsonNode.Parse(await _slack.NextPostAsync())!.AsObject();
        Assert.Equal("GET example.com/orders/42 → 401: No API key found in request", (string?)post["text"]);
        Assert.Single(post);
    }

    [Fact]
    public async Task HangingSlack_DoesNotDelayTheClient()
    {
        _slack.Hang = true;
        var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
        settings["Gateway:Webhooks:Destinations:slack:Timeout"] = "00:05:00";
        settings["Gateway:Webhooks:DrainTimeout"] = "00:00:01";
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);
        using (await gateway.Client.GetAsync("/warm-up"))
        {
        }

        await _slack.NextPostAsync();

        // Slack now holds the delivery service's only connection open; every further alert waits in the queue.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            using var response = await gateway.Client.GetAsync($"/nowhere/{i}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"20 requests took {clock.Elapsed} while Slack hung");
        Assert.Single(_slack.Received);
        Assert.Equal(20, gateway.Service<WebhookQueue>().Count);
    }

    [Fact]
    public async Task NoUrl_WritesTheMessageToTheLog()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("slack-alert.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);

        using var response = await gateway.Client.GetAsync("/nowhere");

        var logged = await gateway.Logs.WaitForAsync(e => e.Properties.ContainsKey("WebhookText"));
        Assert.EndsWith("/nowhere → 404: No route matched the request", logged.Properties["WebhookText"].ToString().Trim('"'), StringComparison.Ordinal);
        Assert.Empty(_slack.Received);
    }

    [Fact]
    public async Task WebhookUrl_IsNeverLogged()
    {
        var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);

        using (await gateway.Client.GetAsync("/nowhere"))
        {
        }

        await _slack.NextPostAsync();
        await gateway.Logs.RequestLogAsync("/nowhere");
        Assert.DoesNotContain(gateway.Logs.Events, e =>
            e.RenderMessage(null).Contains("secret-token", StringComparison.Ordinal) ||
            e.Properties.Values.Any(v => v.ToString().Contains("secret-token", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Script_SendsAnAlertToANamedDestinationAndAnUnknownNameIsLoggedOnce()
    {
        await using var ops = await SlackStandIn.StartAsync();
        var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("ops-alert.csx");
        settings["Gateway:Webhooks:Destinations:ops:Kind"] = "Json";
        settings["Gateway:Webhooks:Destinations:ops:Url"] = ops.Url.ToString();
        await using var gateway = await TestGateway.StartAsync(settings, ["Gateway.Tests/Webhooks/Fixtures/ops-alert.csx"]);

        using (var first = await gateway.Client.GetAsync("/nowhere"))
        using (var second = await gateway.Client.GetAsync("/nowhere"))
        {
            Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        }

        var alert = JsonNode.Parse(await ops.NextPostAsync())!;
        Assert.Equal(
            ("Gateway termination", "GET /nowhere → 404", "warning", "(none)"),
            ((string?)alert["title"], (string?)alert["text"], (string?)alert["severity"], (string?)alert["fields"]!["Route"]));
        await gateway.Logs.RequestLogAsync("/nowhere");
        Assert.Single(gateway.Logs.Events, e => e.EventId() == EventIds.WebhookUnknownDestination && e.Scalar("Destination") == "nowhere");
        Assert.Empty(_slack.Received);
    }

    [Fact]
    public async Task ShutdownTimeout_IsAtLeastTheDrainTimeout()
    {
        var settings = GatewaySettings.For(_upstream.Address);
        settings["Gateway:Webhooks:DrainTimeout"] = "00:01:00";
        await using var gateway = await TestGateway.StartAsync(settings, []);

        Assert.True(gateway.Service<IOptions<HostOptions>>().Value.ShutdownTimeout >= TimeSpan.FromMinutes(1));
    }
}
