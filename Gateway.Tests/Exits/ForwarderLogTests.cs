using System.Net;
using Gateway.Tests.Infrastructure;
using Serilog.Events;

namespace Gateway.Tests.Exits;

/// <summary>A forwarder failure is one Warning line, with no stack trace; the exception is kept for Debug.</summary>
public sealed class ForwarderLogTests
{
    [Fact]
    public async Task UnreachableUpstream_LogsOneWarningLine_WithoutTheException()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(GatewaySettings.For(upstream.Address), []);

        using var response = await gateway.Client.GetAsync("/down/x");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await gateway.Logs.RequestLogAsync("/down/x");

        var warning = Assert.Single(gateway.Logs.Events, e => e.Level == LogEventLevel.Warning && e.Properties.ContainsKey("RequestId"));
        Assert.Null(warning.Exception);
        Assert.StartsWith("Forwarding {Method} {Path} on route {RouteId} failed", warning.MessageTemplate.Text, StringComparison.Ordinal);
        Assert.Equal("\"down\"", warning.Properties["RouteId"].ToString());
        Assert.Equal("Request", warning.Properties["ForwarderError"].ToString());
        Assert.Equal("502", warning.Properties["Status"].ToString());
        Assert.DoesNotContain(gateway.Logs.Events, e => e.Properties.TryGetValue("SourceContext", out var source)
            && source.ToString().Contains("Yarp.ReverseProxy.Forwarder", StringComparison.Ordinal));
    }
}
