using System.Net;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>Every termination the gateway produces itself, with no transform bound: status, headers, body.</summary>
public sealed class TerminationTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private HttpClient Client => fixture.Gateway.Client;

    [Fact]
    public async Task NoApiKey_Is401WithChallenge()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "example.com";

        using var response = await Client.SendAsync(request);

        await HttpAssert.TerminationAsync(response, HttpStatusCode.Unauthorized, "No API key found in request");
        Assert.Equal("Key realm=\"gateway\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("header")]
    [InlineData("query")]
    public async Task WrongApiKey_Is401InvalidCredentials(string where)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, where == "query" ? "/?apikey=wrong" : "/");
        request.Headers.Host = "example.com";
        if (where == "header")
        {
            request.Headers.Add("apikey", "wrong");
        }

        using var response = await Client.SendAsync(request);

        await HttpAssert.TerminationAsync(response, HttpStatusCode.Unauthorized, "Invalid authentication credentials");
        Assert.Equal("Key realm=\"gateway\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("header")]
    [InlineData("query")]
    public async Task RightApiKey_IsProxiedWithoutTheKey(string where)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, where == "query" ? $"/hello?apikey={GatewaySettings.ApiKey}&x=1" : "/hello?x=1");
        request.Headers.Host = "example.com";
        if (where == "header")
        {
            request.Headers.Add("apikey", GatewaySettings.ApiKey);
        }

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = TestUpstream.Echo(await response.Content.ReadAsStringAsync());
        Assert.Equal("/hello", echo.GetProperty("path").GetString());
        Assert.Equal("?x=1", echo.GetProperty("query").GetString());
        Assert.False(echo.GetProperty("headers").TryGetProperty("apikey", out _), "the key must not reach the upstream");
    }

    [Theory]
    [InlineData("/nowhere/at/all", HttpStatusCode.NotFound, "No route matched the request")]
    [InlineData("/down/x", HttpStatusCode.BadGateway, "The upstream server could not be reached")]
    [InlineData("/timeout/slow?ms=5000", HttpStatusCode.GatewayTimeout, "The upstream server did not answer in time")]
    public async Task Get_GatewayEndsTheRequest_AnswersItsStatusAndMessage(string path, HttpStatusCode status, string message)
    {
        using var response = await Client.GetAsync(path);

        await HttpAssert.TerminationAsync(response, status, message);
    }

    [Fact]
    public async Task OverRateLimit_Is429WithRetryAfter()
    {
        using var first = await Client.GetAsync("/limited/a");
        using var second = await Client.GetAsync("/limited/b");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await HttpAssert.TerminationAsync(second, HttpStatusCode.TooManyRequests, "API rate limit exceeded");
        var retryAfter = second.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task DeclaredBodyOverLimit_Is413()
    {
        using var content = new ByteArrayContent(new byte[2048]);

        using var response = await Client.PostAsync("/small/upload", content);

        await HttpAssert.TerminationAsync(response, HttpStatusCode.RequestEntityTooLarge, "Request body too large");
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_Is413()
    {
        using var content = new StreamContent(new ChunkedStream(4096));

        using var response = await Client.PostAsync("/small/upload", content);

        Assert.Null(content.Headers.ContentLength);
        await HttpAssert.TerminationAsync(response, HttpStatusCode.RequestEntityTooLarge, "Request body too large");
    }

    [Fact]
    public async Task BodyWithinLimit_IsProxied()
    {
        using var content = new StringContent(new string('x', 1000), Encoding.ASCII);

        using var response = await Client.PostAsync("/small/upload", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000, TestUpstream.Echo(await response.Content.ReadAsStringAsync()).GetProperty("bodyLength").GetInt32());
    }

    [Fact]
    public async Task NoDestination_Is503()
    {
        using var response = await Client.GetAsync("/empty/x");

        await HttpAssert.TerminationAsync(response, HttpStatusCode.ServiceUnavailable, "No healthy upstream destination is available");
    }

    [Fact]
    public async Task HeadOnTermination_HasLengthButNoBody()
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/nowhere"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount("{\"message\":\"No route matched the request\"}"), response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Termination_IsLoggedWithKindAndRoute()
    {
        using var response = await Client.GetAsync("/down/logged");

        var logged = await fixture.Gateway.Logs.RequestLogAsync("/down/logged");
        Assert.Equal("UpstreamUnreachable", logged.Properties["TerminationKind"].ToString());
        Assert.Equal("\"down\"", logged.Properties["RouteId"].ToString());
        Assert.Equal("502", logged.Properties["StatusCode"].ToString());
    }

    /// <summary>A request body of unknown length, so the client sends it chunked.</summary>
    private sealed class ChunkedStream(int length) : Stream
    {
        private int _remaining = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 256), _remaining);
            Array.Fill(buffer, (byte)'x', offset, n);
            _remaining -= n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
