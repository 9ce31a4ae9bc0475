using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Upstream responses that stream through untouched: over the buffering limit, outside a binding's filters,
/// redirects by default, and <c>HEAD</c>.
/// </summary>
public sealed class UpstreamPassThroughTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FiveMegabyte500_PassesThroughByteForByte_AndIsCounted(bool declared)
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "mark-seen.csx"), "mark-seen.csx");
        using var metrics = new ExitMetricsRecorder(gateway.Services);

        using var response = await ReceivedResponse.GetAsync(gateway.Client, $"/open/errors/big-500?declared={declared}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.Message.StatusCode);
        Assert.Equal("nothing", Assert.Single(response.Message.Headers.GetValues("x-transform-saw")));
        Assert.Equal("application/octet-stream", response.ContentType);
        Assert.Equal(declared ? TestUpstream.BigErrorBytes : null, response.DeclaredLength);
        Assert.Equal(TestUpstream.BigErrorBytes, response.Body.Length);
        Assert.True(TestUpstream.BigErrorBody.AsSpan().SequenceEqual(response.Body), "the body must arrive byte for byte");

        Assert.Equal(1, metrics.Count(500, "too_large", rewritten: false));
        var logged = await gateway.Logs.RequestLogAsync("/open/errors/big-500");
        Assert.Equal("TooLarge", logged.Properties["UpstreamBody"].ToString());
        Assert.Equal("False", logged.Properties["UpstreamBodyRewritten"].ToString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task FiveMegabyte500_IsReplaced_WhenTheTransformWritesABody(bool declared)
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "upstream-problem.csx"), "upstream-problem.csx");
        using var metrics = new ExitMetricsRecorder(gateway.Services);

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, $"/open/errors/big-500?declared={declared}")).AssertExactLength();

        Assert.Equal(HttpStatusCode.InternalServerError, response.Message.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(500, (int?)JsonNode.Parse(response.Text)!["status"]);
        Assert.Equal(1, metrics.Count(500, "too_large", rewritten: true));
    }

    [Fact]
    public async Task BodyOverAConfiguredLimit_IsNotBuffered()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("open", "mark-seen.csx").WithMaxUpstreamBodyBytes(16);

        await using var gateway = await StartAsync(settings, "mark-seen.csx");
        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/json-404")).AssertExactLength();

        Assert.Equal("nothing", Assert.Single(response.Message.Headers.GetValues("x-transform-saw")));
        Assert.Equal(TestUpstream.NotFoundJson, response.Text);
    }

    [Fact]
    public async Task StatusOutsideTheFilter_IsUntouched()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("open", "upstream-problem.csx").WithRouteFilter("open", status: "500-599");
        await using var gateway = await StartAsync(settings, "upstream-problem.csx");
        using var metrics = new ExitMetricsRecorder(gateway.Services);

        using var outside = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/json-404")).AssertExactLength();
        using var inside = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/status/502")).AssertExactLength();

        Assert.Equal(HttpStatusCode.NotFound, outside.Message.StatusCode);
        Assert.Equal("application/json; charset=utf-8", outside.ContentType);
        Assert.Equal(TestUpstream.NotFoundJson, outside.Text);
        Assert.Equal("application/problem+json", inside.ContentType);
        Assert.Equal(1, metrics.Total);
        var logged = await gateway.Logs.RequestLogAsync("/open/errors/json-404");
        Assert.False(logged.Properties.ContainsKey("TerminationKind"));
    }

    [Fact]
    public async Task Redirect_PassesThroughByDefault_AndReachesABindingThatAsksFor3xx()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("mark-seen.csx").WithRoute("open", "gone.csx").WithRouteFilter("open", status: "3xx,404");
        await using var gateway = await StartAsync(settings, "mark-seen.csx", "gone.csx");
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = gateway.Address };

        using var redirect = (await ReceivedResponse.GetAsync(client, "/open/errors/status/302")).AssertExactLength();

        Assert.Equal(HttpStatusCode.Found, redirect.Message.StatusCode);
        Assert.Equal("/elsewhere", redirect.Message.Headers.Location?.ToString());
        Assert.False(redirect.Message.Headers.Contains("x-transform-saw"), "the global binding's default filter is 400-599");
        var logged = await gateway.Logs.RequestLogAsync("/open/errors/status/302");
        Assert.Equal("[\"gone.csx\"]", logged.Properties["Transforms"].ToString());
    }

    [Fact]
    public async Task GatewaySourceOnly_LeavesUpstreamErrorsAlone()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("upstream-problem.csx").WithGlobalFilter(sources: "Gateway");
        await using var gateway = await StartAsync(settings, "upstream-problem.csx");

        using var fromUpstream = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/json-404")).AssertExactLength();
        using var fromGateway = (await ReceivedResponse.GetAsync(gateway.Client, "/nowhere")).AssertExactLength();

        Assert.Equal(TestUpstream.NotFoundJson, fromUpstream.Text);
        Assert.Equal("application/problem+json", fromGateway.ContentType);
    }

    [Fact]
    public async Task UpstreamSourceOnly_LeavesGatewayTerminationsAlone()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("limited", "upstream-problem.csx").WithRouteFilter("limited", sources: "upstream");
        settings["ReverseProxy:Routes:limited:Transforms:0:PathRemovePrefix"] = "/limited";
        await using var gateway = await StartAsync(settings, "upstream-problem.csx");

        using var fromUpstream = (await ReceivedResponse.GetAsync(gateway.Client, "/limited/errors/status/500")).AssertExactLength();
        using var fromGateway = await gateway.Client.GetAsync("/limited/again");

        Assert.Equal("application/problem+json", fromUpstream.ContentType);
        await HttpAssert.TerminationAsync(fromGateway, HttpStatusCode.TooManyRequests, "API rate limit exceeded");
    }

    [Fact]
    public async Task HeadOn404_IsRewrittenWithoutABodyOrAGuessedLength()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "upstream-problem.csx"), "upstream-problem.csx");

        using var head = await ReceivedResponse.SendAsync(gateway.Client, HttpMethod.Head, "/open/errors/json-404");

        Assert.Equal(HttpStatusCode.NotFound, head.Message.StatusCode);
        Assert.Equal("application/problem+json", head.ContentType);
        Assert.Empty(head.Body);

        // The transforms saw no body (HEAD has none), so the length a GET would get is unknown: RFC 9110 §8.6
        // forbids sending a Content-Length that differs from it.
        Assert.Null(head.DeclaredLength);
        var logged = await gateway.Logs.WaitForAsync(e =>
            e.Properties.TryGetValue("RequestMethod", out var method) && method.ToString() == "\"HEAD\"" && e.Properties.ContainsKey("UpstreamBody"));
        Assert.Equal("Empty", logged.Properties["UpstreamBody"].ToString());
        Assert.Equal("True", logged.Properties["UpstreamBodyRewritten"].ToString());
    }

    [Fact]
    public async Task HeadOn404_PassesTheUpstreamLengthThrough_WhenTheBodyIsLeftAlone()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "mark-seen.csx"), "mark-seen.csx");

        using var head = await ReceivedResponse.SendAsync(gateway.Client, HttpMethod.Head, "/open/errors/json-404");

        Assert.Equal(HttpStatusCode.NotFound, head.Message.StatusCode);
        Assert.Equal("nothing", Assert.Single(head.Message.Headers.GetValues("x-transform-saw")));
        Assert.Equal(TestUpstream.NotFoundJson.Length, head.DeclaredLength);
        Assert.Empty(head.Body);
    }

    private static Task<TestGateway> StartAsync(Dictionary<string, string?> settings, params string[] fixtures) =>
        TestGateway.StartAsync(settings, fixtures.Select(f => "Gateway.Tests/Transforms/Fixtures/" + f));
}
