using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Management;

/// <summary><c>/metrics</c> after a mix of traffic: each family, with the right labels and counts.</summary>
[Collection(ManagementMetricsGroup.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_AfterA2xxA401AnUpstream500AndAFailingTransform_CountEachFamily()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var slack = await SlackStandIn.StartAsync();
        var settings = GatewaySettings.For(upstream.Address, slack.Url)
            .WithGlobal("slack-alert.csx")
            .WithRoute("secure", "arr.csx")
            .WithRoute("open", "throws.csx", "problem-details.csx");
        await using var gateway = await TestGateway.StartAsync(
            settings, ["Transforms/slack-alert.csx", "Transforms/arr.csx", "Transforms/problem-details.csx", "Gateway.Tests/Fixtures/throws.csx"]);

        // Probes and scrapes first: none of them may show up below.
        foreach (var path in new[] { "/healthz", "/readyz", "/metrics", "/status/transforms", "/status/webhooks", "/status/routes", "/", "/none" })
        {
            using var probe = await gateway.Management.GetAsync(path);
        }

        using (var ok = await gateway.Client.GetAsync("/open/"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var unauthorized = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { Host = "example.com" } })
        using (var response = await gateway.Client.SendAsync(unauthorized))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var failed = await gateway.Client.GetAsync("/open/errors/status/500"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
            Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        }

        await slack.WaitForPostsAsync(2);
        // A request is counted once its response is written, which the client may see first.
        var metrics = await ScrapeUntilAsync(gateway, m => m.Matching("gateway_webhooks_sent_total").Sum(s => s.Value) >= 2
            && m.Matching("gateway_requests_total").Sum(s => s.Value) >= 3
            && m.Matching("http_server_request_duration_seconds_count").Sum(s => s.Value) >= 7);

        // Requests by route, status class and source.
        Assert.Equal(1, metrics.Value("gateway_requests_total", ("gateway_route", "open"), ("http_response_status_class", "2xx"), ("gateway_source", "upstream")));
        Assert.Equal(1, metrics.Value("gateway_requests_total", ("gateway_route", "secure"), ("http_response_status_class", "4xx"), ("gateway_source", "gateway")));
        Assert.Equal(1, metrics.Value("gateway_requests_total", ("gateway_route", "open"), ("http_response_status_class", "5xx"), ("gateway_source", "transform")));
        Assert.Equal(3, metrics.Matching("gateway_requests_total").Sum(s => s.Value));

        // Terminations by kind, route and final status.
        Assert.Equal(1, metrics.Value("gateway_terminations_total", ("gateway_termination_kind", "Unauthorized"), ("gateway_route", "secure"), ("http_response_status_code", "401")));
        Assert.Equal(1, metrics.Value("gateway_terminations_total", ("gateway_termination_kind", "UpstreamResponse"), ("gateway_route", "open"), ("http_response_status_code", "500")));

        // Transform runs and failures by transform and kind; one chain duration per termination.
        Assert.Equal(2, metrics.Value("gateway_transforms_runs_total", ("gateway_transform", "slack-alert.csx")));
        Assert.Equal(1, metrics.Value("gateway_transforms_runs_total", ("gateway_transform", "arr.csx")));
        Assert.Equal(1, metrics.Value("gateway_transforms_runs_total", ("gateway_transform", "throws.csx")));
        Assert.Equal(1, metrics.Value("gateway_transforms_runs_total", ("gateway_transform", "problem-details.csx")));
        Assert.Equal(1, metrics.Value("gateway_transforms_failures_total", ("gateway_transform", "throws.csx"), ("gateway_failure_kind", "exception")));
        Assert.Single(metrics.Matching("gateway_transforms_failures_total"));
        Assert.Equal(1, metrics.Value("gateway_transforms_chain_duration_seconds_count", ("gateway_route", "secure")));
        Assert.Equal(1, metrics.Value("gateway_transforms_chain_duration_seconds_count", ("gateway_route", "open")));
        Assert.Equal(1, metrics.Value("gateway_transforms_upstream_responses_total", ("http_response_status_code", "500"), ("gateway_body_rewritten", "true")));

        // The webhook instruments.
        Assert.Equal(2, metrics.Value("gateway_webhooks_queued_total", ("destination", "slack"), ("kind", "alert")));
        Assert.Equal(2, metrics.Value("gateway_webhooks_sent_total", ("destination", "slack"), ("kind", "alert")));
        Assert.Equal(0, metrics.Value("gateway_webhooks_queue_length", ("destination", "slack")));
        Assert.Equal(2, metrics.Value("gateway_webhooks_delivery_duration_seconds_count", ("destination", "slack")));

        // ASP.NET Core's, HttpClient's (every forwarded request) and the runtime's own meters.
        // The meter is the process's: the gateway's 3 requests, the upstream's 2 and the Slack stand-in's 2 posts; none
        // of the management listener's.
        Assert.Equal(7, metrics.Matching("http_server_request_duration_seconds_count").Sum(s => s.Value));
        Assert.True(metrics.Matching("http_client_request_duration_seconds_count", ("server_address", "127.0.0.1")).Sum(s => s.Value) >= 2);
        Assert.True(metrics.Has("kestrel_active_connections"));
        Assert.True(metrics.Has("dotnet_gc_collections_total") || metrics.Has("dotnet_process_cpu_time_seconds_total"));

        // No secret: the Slack URL's path never appears.
        Assert.DoesNotContain(slack.Url.AbsolutePath.Trim('/'), metrics.Text, StringComparison.Ordinal);
    }

    private static async Task<PrometheusText> ScrapeUntilAsync(TestGateway gateway, Func<PrometheusText, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await gateway.Management.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
            var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            if (done(metrics) || DateTime.UtcNow > deadline)
            {
                return metrics;
            }

            await Task.Delay(50);
        }
    }
}
