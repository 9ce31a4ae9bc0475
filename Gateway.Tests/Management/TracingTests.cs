using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Management;

/// <summary>Traces pushed by OTLP to a real loopback receiver: the chain's span, in the request's trace.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Otlp_ReceivesTheChainSpan_InTheTraceWhoseIdTheProblemBodyCarries()
    {
        var received = new ConcurrentQueue<byte[]>();
        var (collector, collectorAddress) = await LoopbackServer.StartAsync(app => app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            received.Enqueue(body.ToArray());
            return Results.Ok();
        }));
        await using var _ = collector;
        await using var upstream = await TestUpstream.StartAsync();
        var settings = GatewaySettings.For(upstream.Address).WithRoute("open", "throws.csx", "problem-details.csx");
        settings["Gateway:Telemetry:OtlpEndpoint"] = collectorAddress.ToString();
        settings["Gateway:Telemetry:OtlpProtocol"] = "HttpProtobuf";
        await using var gateway = await TestGateway.StartAsync(settings, ["Transforms/problem-details.csx", "Gateway.Tests/Fixtures/throws.csx"]);

        using var response = await gateway.Client.GetAsync("/open/errors/status/502");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var traceId = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["traceId"]!;

        Assert.True(gateway.Service<TracerProvider>().ForceFlush(10_000));
        var exported = received.SelectMany(b => b).ToArray();
        Assert.True(Contains(exported, Encoding.UTF8.GetBytes("transform chain")), "the chain's span is exported");
        Assert.True(Contains(exported, Encoding.UTF8.GetBytes("throws.csx")), "its failure names the transform");
        Assert.True(Contains(exported, Convert.FromHexString(traceId)), "in the trace whose id the problem body carries");
        Assert.True(Contains(exported, Encoding.UTF8.GetBytes("Yarp.ReverseProxy")) || Contains(exported, Encoding.UTF8.GetBytes("System.Net.Http")),
            "the forwarded call is traced too");
    }

    [Fact]
    public async Task NoOtlpEndpoint_NoTracerProvider()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await using var gateway = await TestGateway.StartAsync(GatewaySettings.For(upstream.Address), []);

        Assert.Null(gateway.Services.GetService(typeof(TracerProvider)));
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
