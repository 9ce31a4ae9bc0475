using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Gateway.Exits;

namespace Gateway.Tests.Exits;

public sealed class UpstreamBodyReaderTests
{
    private const int Limit = 1024;

    [Fact]
    public async Task ReadAsync_DeclaredOverTheLimit_ReadsNothing()
    {
        var bytes = Bytes(Limit + 1);
        using var response = Response(new ByteArrayContent(bytes));

        var body = await UpstreamBodyReader.ReadAsync(response, "GET", Limit, CancellationToken.None);

        Assert.Equal(UpstreamBodyOutcome.TooLarge, body.NotBuffered);
        Assert.False(body.Consumed);
    }

    [Fact]
    public async Task ReadAsync_EventStream_ReadsNothing()
    {
        using var content = new StreamContent(Unseekable([1, 2, 3]));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
        using var response = Response(content);

        var body = await UpstreamBodyReader.ReadAsync(response, "GET", Limit, CancellationToken.None);

        Assert.Equal(UpstreamBodyOutcome.Streaming, body.NotBuffered);
        Assert.False(body.Consumed);
    }

    [Theory]
    [InlineData("HEAD", 404)]
    [InlineData("GET", 304)]
    [InlineData("GET", 204)]
    public async Task ReadAsync_NoBodyByDefinition_IsEmpty(string method, int status)
    {
        using var response = Response(new StreamContent(Unseekable([1, 2, 3])), (HttpStatusCode)status);

        var body = await UpstreamBodyReader.ReadAsync(response, method, Limit, CancellationToken.None);

        Assert.Equal(UpstreamBodyOutcome.Empty, body.NotBuffered);
        Assert.True(body.Complete);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Limit - 1)]
    [InlineData(Limit)]
    public async Task ReadAsync_UnknownLengthWithinTheLimit_ReadsItAll(int length)
    {
        var bytes = Bytes(length);
        using var response = Response(new StreamContent(Unseekable(bytes)));

        var body = await UpstreamBodyReader.ReadAsync(response, "GET", Limit, CancellationToken.None);

        Assert.Null(body.NotBuffered);
        Assert.True(body.Complete);
        Assert.Equal(bytes, body.Received.ToArray());
    }

    [Fact]
    public async Task ReadAsync_UnknownLengthOverTheLimit_StopsOneBytePast_AndReplaysEverything()
    {
        var bytes = Bytes(50 * Limit);
        using var response = Response(new StreamContent(Unseekable(bytes)));

        var body = await UpstreamBodyReader.ReadAsync(response, "GET", Limit, CancellationToken.None);

        Assert.False(body.Complete);
        Assert.Equal(Limit + 1, body.Received.Length);
        using var replay = body.Replay(response.Content);
        Assert.Equal(bytes, await replay.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ReadAsync_ZeroLimit_ReadsNothing()
    {
        using var response = Response(new StreamContent(Unseekable([1])));

        var body = await UpstreamBodyReader.ReadAsync(response, "GET", 0, CancellationToken.None);

        Assert.Equal(UpstreamBodyOutcome.TooLarge, body.NotBuffered);
    }

    [Fact]
    public async Task Replay_ReadAsStream_GivesTheReceivedBytesThenTheRest()
    {
        var bytes = Bytes(3 * Limit);
        using var response = Response(new StreamContent(Unseekable(bytes)));
        var body = await UpstreamBodyReader.ReadAsync(response, "GET", Limit, CancellationToken.None);

        using var replay = body.Replay(response.Content);
        await using var stream = await replay.ReadAsStreamAsync();
        var copy = new MemoryStream();
        var buffer = new byte[100];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        Assert.Equal(bytes, copy.ToArray());
    }

    private static HttpResponseMessage Response(HttpContent content, HttpStatusCode status = HttpStatusCode.InternalServerError) =>
        new(status) { Content = content };

    private static byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    // Like a chunked response: no length known up front.
    private static Stream Unseekable(byte[] bytes) => PipeReader.Create(new MemoryStream(bytes)).AsStream();
}
