using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>Transforms reshaping the upstream's own error responses, from a real Kestrel upstream.</summary>
public sealed class UpstreamErrorTransformTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task HtmlStackTrace500_BecomesProblemJson_WithoutTheTrace()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "upstream-problem.csx"), "upstream-problem.csx");

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/html-500")).AssertExactLength();

        Assert.Equal(HttpStatusCode.InternalServerError, response.Message.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.DoesNotContain("ChargeService", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("card declined", response.Text, StringComparison.Ordinal);
        var problem = JsonNode.Parse(response.Text)!;
        Assert.Equal(500, (int?)problem["status"]);
        Assert.Equal("The upstream service failed", (string?)problem["detail"]);
        Assert.Equal("/open/errors/html-500", (string?)problem["instance"]);
    }

    [Fact]
    public async Task Json404_IsReshaped()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "reshape-json.csx"), "reshape-json.csx");

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/json-404")).AssertExactLength();

        Assert.Equal(HttpStatusCode.NotFound, response.Message.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
        Assert.Equal("""{"error":{"status":404,"upstream":{"error":"order not found","orderId":42}}}""", response.Text);

        var logged = await gateway.Logs.RequestLogAsync("/open/errors/json-404");
        Assert.Equal("UpstreamResponse", logged.Properties["TerminationKind"].ToString());
        Assert.Equal("404", logged.Properties["UpstreamStatus"].ToString());
        Assert.Equal("Json", logged.Properties["UpstreamBody"].ToString());
        Assert.Equal("True", logged.Properties["UpstreamBodyRewritten"].ToString());
        Assert.Equal("[\"reshape-json.csx\"]", logged.Properties["Transforms"].ToString());
    }

    [Fact]
    public async Task Gzip503_IsDecodedAndReshaped_AndSentWithoutContentEncoding()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "reshape-json.csx"), "reshape-json.csx");
        using var metrics = new ExitMetricsRecorder(gateway.Services);

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/gzip-503")).AssertExactLength();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Message.StatusCode);
        Assert.Empty(response.Message.Content.Headers.ContentEncoding);
        Assert.Equal("""{"error":{"status":503,"upstream":{"message":"database is down","retryInSeconds":30}}}""", response.Text);
        Assert.Equal(1, metrics.Count(503, "json", rewritten: true));
    }

    [Fact]
    public async Task HeaderOnlyTransform_KeepsTheUpstreamBytesAndEncoding()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "mark-seen.csx"), "mark-seen.csx");

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/gzip-503")).AssertExactLength();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Message.StatusCode);
        Assert.Equal("json", Assert.Single(response.Message.Headers.GetValues("x-transform-saw")));
        Assert.Equal("gzip", Assert.Single(response.Message.Content.Headers.ContentEncoding));
        Assert.Equal(TestUpstream.UnavailableGzip, response.Body);

        var logged = await gateway.Logs.RequestLogAsync("/open/errors/gzip-503");
        Assert.Equal("False", logged.Properties["UpstreamBodyRewritten"].ToString());
    }

    [Fact]
    public async Task StatusOnlyTransform_KeepsTheUpstreamBody()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "gone.csx"), "gone.csx");

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/json-404")).AssertExactLength();

        Assert.Equal(HttpStatusCode.Gone, response.Message.StatusCode);
        Assert.Equal(TestUpstream.NotFoundJson, response.Text);
        Assert.Equal("application/json; charset=utf-8", response.ContentType);
    }

    [Fact]
    public async Task TextBody_IsSeenAsText_WithTheUpstreamHeaders()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "report-seen.csx"), "report-seen.csx");

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/text-503")).AssertExactLength();

        var seen = JsonNode.Parse(response.Text)!;
        Assert.Equal(TestUpstream.MaintenanceText, (string?)seen["sawText"]);
        Assert.Null(seen["sawBody"]);
        Assert.Equal("text/plain; charset=utf-8", (string?)seen["sawContentType"]);
        var names = ((string?)seen["sawHeaders"])!.Split(',');
        Assert.Contains("Content-Type", names, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("Content-Length", names, StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain("Transfer-Encoding", names, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GzipBody_IsSeenDecoded_WithoutContentEncoding()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "report-seen.csx"), "report-seen.csx");

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/gzip-503")).AssertExactLength();

        var seen = JsonNode.Parse(response.Text)!;
        Assert.Equal(TestUpstream.UnavailableJson, (string?)seen["sawBody"]);
        Assert.DoesNotContain("Content-Encoding", ((string?)seen["sawHeaders"])!.Split(','), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Request_TellsTheDestinationTheUpstreamStatusAndItsLatency()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithGlobal("report-seen.csx"), "report-seen.csx");

        using var fromUpstream = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/status/503")).AssertExactLength();
        using var unreachable = (await ReceivedResponse.GetAsync(gateway.Client, "/down/x")).AssertExactLength();
        using var noRoute = (await ReceivedResponse.GetAsync(gateway.Client, "/nowhere")).AssertExactLength();

        var upstream = JsonNode.Parse(fromUpstream.Text)!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, fromUpstream.Message.StatusCode);
        Assert.Equal("UpstreamResponse", (string?)upstream["termination"]);
        Assert.Equal(_upstream.Address.ToString(), (string?)upstream["destination"]);
        Assert.Equal(503, (int?)upstream["upstreamStatus"]);
        Assert.InRange((double)upstream["latencyMs"]!, 0, 60_000);
        Assert.Equal("""{"message":"upstream 503"}""", (string?)upstream["sawBody"]);

        var gatewayMade = JsonNode.Parse(unreachable.Text)!;
        Assert.Equal("UpstreamUnreachable", (string?)gatewayMade["termination"]);
        Assert.StartsWith("http://127.0.0.1:", (string?)gatewayMade["destination"], StringComparison.Ordinal);
        Assert.Null(gatewayMade["upstreamStatus"]);
        Assert.NotNull(gatewayMade["latencyMs"]);

        var notForwarded = JsonNode.Parse(noRoute.Text)!;
        Assert.Equal("NoRoute", (string?)notForwarded["termination"]);
        Assert.Null(notForwarded["destination"]);
        Assert.Null(notForwarded["latencyMs"]);
    }

    [Fact]
    public async Task Chain_RunsGlobalThenRoute_OnAnUpstreamError()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("mark-seen.csx").WithRoute("open", "upstream-problem.csx");
        await using var gateway = await StartAsync(settings, "mark-seen.csx", "upstream-problem.csx");

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/html-500")).AssertExactLength();

        Assert.Equal("text", Assert.Single(response.Message.Headers.GetValues("x-transform-saw")));
        Assert.Equal("application/problem+json", response.ContentType);
        var logged = await gateway.Logs.RequestLogAsync("/open/errors/html-500");
        Assert.Equal("[\"mark-seen.csx\", \"upstream-problem.csx\"]", logged.Properties["Transforms"].ToString());
    }

    [Fact]
    public async Task SuccessfulResponse_IsNotTransformed_EvenWithTransformsOnEveryStatus()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("upstream-problem.csx").WithGlobalFilter(status: "300-599");
        await using var gateway = await StartAsync(settings, "upstream-problem.csx");
        using var metrics = new ExitMetricsRecorder(gateway.Services);

        using var response = await ReceivedResponse.GetAsync(gateway.Client, "/open/hello");

        Assert.Equal(HttpStatusCode.OK, response.Message.StatusCode);
        Assert.Equal("/hello", TestUpstream.Echo(response.Text).GetProperty("path").GetString());
        Assert.Equal(0, metrics.Total);
    }

    private static Task<TestGateway> StartAsync(Dictionary<string, string?> settings, params string[] fixtures) =>
        TestGateway.StartAsync(settings, fixtures.Select(f => "Gateway.Tests/Transforms/Fixtures/" + f));
}
