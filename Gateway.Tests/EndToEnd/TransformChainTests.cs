using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>Transforms bound globally and per route, run in order over the gateway's own terminations.</summary>
public sealed class TransformChainTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task Chain_RunsGlobalThenRoute_EachSeeingThePreviousOutput()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("trail-a.csx").WithRoute("down", "trail-b.csx", "trail-a.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Gateway.Tests/Fixtures/trail-a.csx", "Gateway.Tests/Fixtures/trail-b.csx"]);

        using var onRoute = await gateway.Client.GetAsync("/down/x");
        using var noRoute = await gateway.Client.GetAsync("/nowhere");

        Assert.Equal("aba", (string?)JsonNode.Parse(await onRoute.Content.ReadAsStringAsync())!["trail"]);
        Assert.Equal("a", (string?)JsonNode.Parse(await noRoute.Content.ReadAsStringAsync())!["trail"]);
    }

    [Fact]
    public async Task ThrowingTransform_LeavesTheResponseAsBeforeIt_AndLogsFileAndLine()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("trail-a.csx", "throws.csx", "trail-b.csx");
        await using var gateway = await TestGateway.StartAsync(
            settings,
            ["Gateway.Tests/Fixtures/trail-a.csx", "Gateway.Tests/Fixtures/throws.csx", "Gateway.Tests/Fixtures/trail-b.csx"]);

        using var response = await gateway.Client.GetAsync("/nowhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("x-before-throw"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("No route matched the request", (string?)body["message"]);
        Assert.Equal("ab", (string?)body["trail"]);

        var error = await gateway.Logs.WaitForAsync(e => e.Properties.ContainsKey("TransformLine"));
        Assert.Equal("\"throws.csx\"", error.Properties["Transform"].ToString());
        Assert.Equal(Path.Combine(gateway.TransformsFolder, "throws.csx"), ((Serilog.Events.ScalarValue)error.Properties["TransformFile"]).Value);
        Assert.Equal("4", error.Properties["TransformLine"].ToString());
        // In a transform host the exception stays there: its type and message travel, as in-process logs them too.
        Assert.Equal("\"InvalidOperationException\"", error.Properties["ErrorType"].ToString());
    }

    [Fact]
    public async Task BodyNull_SendsAnEmptyBody()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("body-null.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Gateway.Tests/Fixtures/body-null.csx"]);

        using var response = await gateway.Client.GetAsync("/nowhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength);
        Assert.Null(response.Content.Headers.ContentType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Text_IsSentAsPlainText()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("plain-text.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Gateway.Tests/Fixtures/plain-text.csx"]);

        using var response = await gateway.Client.GetAsync("/nowhere");

        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("404 No route matched the request", await response.Content.ReadAsStringAsync());
        Assert.Equal(32, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task HeaderWithCrLf_IsRefused_AndTheResponseStaysWellFormed()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("bad-header.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Gateway.Tests/Fixtures/bad-header.csx"]);

        using var response = await gateway.Client.GetAsync("/nowhere");

        await HttpAssert.TerminationAsync(response, HttpStatusCode.NotFound, "No route matched the request");
        Assert.False(response.Headers.Contains("x-injected"));
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task ProblemDetails_WrapsTheMessageWithTheTraceId()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("down", "problem-details.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/problem-details.csx"]);

        using var response = await gateway.Client.GetAsync("/down/thing");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.ToString());
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Bad Gateway", (string?)problem["title"]);
        Assert.Equal(502, (int?)problem["status"]);
        Assert.Equal("The upstream server could not be reached", (string?)problem["detail"]);
        Assert.Equal("/down/thing", (string?)problem["instance"]);
        Assert.Matches("^[0-9a-f]{32}$", (string?)problem["traceId"]);

        var logged = await gateway.Logs.RequestLogAsync("/down/thing");
        Assert.Equal("[\"problem-details.csx\"]", logged.Properties["Transforms"].ToString());
        Assert.Equal((string?)problem["traceId"], logged.TraceId?.ToHexString());
    }

    [Fact]
    public async Task SuccessfulResponses_NeverReachATransform()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("body-null.csx").WithRoute("open", "body-null.csx");
        await using var gateway = await TestGateway.StartAsync(settings, ["Gateway.Tests/Fixtures/body-null.csx"]);

        using var response = await gateway.Client.GetAsync("/open/hello");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/hello", TestUpstream.Echo(await response.Content.ReadAsStringAsync()).GetProperty("path").GetString());
    }
}
