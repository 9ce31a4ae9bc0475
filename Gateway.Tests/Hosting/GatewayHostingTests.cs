using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>
/// AddGateway / UseGateway as a host sees them: each gateway built in a process is a server of its own, with its
/// own logger (the static one stays the bootstrap logger), and every request it answers carries a trace id.
/// </summary>
public sealed class GatewayHostingTests(UpstreamAndSlack standIns) : IClassFixture<UpstreamAndSlack>
{
    [Fact]
    public async Task TwoGatewaysInOneProcess_EachLogsOnlyItsOwnRequests()
    {
        await using var first = await TestGateway.StartAsync(GatewaySettings.For(standIns.Upstream.Address), []);
        await using var second = await TestGateway.StartAsync(GatewaySettings.For(standIns.Upstream.Address), []);

        using var toFirst = await first.Client.GetAsync("/only-the-first");
        using var toSecond = await second.Client.GetAsync("/only-the-second");
        await first.Logs.RequestLogAsync("/only-the-first");
        await second.Logs.RequestLogAsync("/only-the-second");

        Assert.NotEqual(first.Address, second.Address);
        Assert.Empty(first.Logs.WithProperty("RequestPath", "/only-the-second"));
        Assert.Empty(second.Logs.WithProperty("RequestPath", "/only-the-first"));
    }

    [Fact]
    public async Task Request_GatewayTermination_IsLoggedWithTheTraceIdOfItsActivity()
    {
        await using var gateway = await TestGateway.StartAsync(GatewaySettings.For(standIns.Upstream.Address), []);
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-route");
        request.Headers.Host = "no-such-host.example";
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        using var response = await gateway.Client.SendAsync(request);
        var logged = await gateway.Logs.RequestLogAsync("/no-such-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(traceId, logged.TraceId?.ToHexString());
    }
}
