using System.Net;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>Event streams are delivered event by event: a 2xx one always, an error one that the transforms leave alone too.</summary>
public sealed class UpstreamStreamingTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task EventStream200_IsDeliveredEventByEvent()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("upstream-problem.csx").WithGlobalFilter(status: "300-599");
        await using var gateway = await StartAsync(settings, "upstream-problem.csx");

        using var response = await gateway.Client.GetAsync("/open/events", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TestUpstream.EventOne + TestUpstream.EventTwo, await ReadEventByEventAsync(response));
    }

    [Fact]
    public async Task EventStream500_IsNotBuffered_AndStreamsEventByEvent()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "mark-seen.csx"), "mark-seen.csx");
        using var metrics = new ExitMetricsRecorder(gateway.Services);

        using var response = await gateway.Client.GetAsync("/open/events?status=500", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("nothing", Assert.Single(response.Headers.GetValues("x-transform-saw")));
        Assert.Equal(TestUpstream.EventOne + TestUpstream.EventTwo, await ReadEventByEventAsync(response));
        Assert.Equal(1, metrics.Count(500, "streaming", rewritten: false));
        var logged = await gateway.Logs.RequestLogAsync("/open/events");
        Assert.Equal("Streaming", logged.Properties["UpstreamBody"].ToString());
    }

    [Fact]
    public async Task EventStream503_IsReplaced_WhenTheTransformWritesABody()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "upstream-problem.csx"), "upstream-problem.csx");

        // The upstream never gets to event two: the gateway answers without waiting for the stream.
        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/events?status=503")).AssertExactLength();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Message.StatusCode);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.DoesNotContain("data:", response.Text, StringComparison.Ordinal);
    }

    // The upstream sends event one, then waits until this client has it: a gateway that buffered the stream
    // would never deliver event one, and the read below would time out.
    private async Task<string> ReadEventByEventAsync(HttpResponseMessage response)
    {
        await using var body = await response.Content.ReadAsStreamAsync();
        var received = new StringBuilder();
        var buffer = new byte[1024];
        while (!received.ToString().Contains(TestUpstream.EventOne, StringComparison.Ordinal))
        {
            var n = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.NotEqual(0, n);
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }

        Assert.Equal(TestUpstream.EventOne, received.ToString());
        _upstream.FirstEventSeenByClient.TrySetResult();
        using var reader = new StreamReader(body);
        received.Append(await reader.ReadToEndAsync());
        return received.ToString();
    }

    private static Task<TestGateway> StartAsync(Dictionary<string, string?> settings, params string[] fixtures) =>
        TestGateway.StartAsync(settings, fixtures.Select(f => "Gateway.Tests/Transforms/Fixtures/" + f));
}
