using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>Successful responses stream through: never buffered, never transformed.</summary>
public sealed class StreamingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task TenMegabyteResponse_StreamsIntactWithoutBuffering()
    {
        using var response = await fixture.Gateway.Client.GetAsync("/open/big", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();

        // The upstream sends its first chunk, then waits until the client has it: a gateway that buffered the
        // whole response before sending would never deliver it, and this read would time out.
        var received = new MemoryStream(TestUpstream.BigBodyBytes);
        var buffer = new byte[81920];
        while (received.Length < TestUpstream.BigChunkBytes)
        {
            var n = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotEqual(0, n);
            received.Write(buffer, 0, n);
        }

        fixture.Upstream.FirstChunkSeenByClient.TrySetResult();
        await body.CopyToAsync(received);

        Assert.Equal(TestUpstream.BigBodyBytes, received.Length);
        Assert.True(TestUpstream.BigBody.AsSpan().SequenceEqual(received.GetBuffer().AsSpan(0, (int)received.Length)), "the body must arrive byte for byte");
    }
}
