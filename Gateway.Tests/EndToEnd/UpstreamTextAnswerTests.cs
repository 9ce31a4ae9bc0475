using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>The <c>Text</c> global writing plain text and HTML, for a gateway-made 429 and for an upstream 503.</summary>
public sealed class UpstreamTextAnswerTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Theory]
    [InlineData("plain-answer.csx", "text/plain; charset=utf-8", "429 RateLimited: please try again later")]
    [InlineData("html-answer.csx", "text/html; charset=utf-8", "<!DOCTYPE html><title>429</title><h1>Error 429</h1><p>RateLimited</p>")]
    public async Task GatewayMade429_IsAnsweredWithText(string transform, string contentType, string text)
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("limited", transform), transform);
        using (await gateway.Client.GetAsync("/limited/first"))
        {
        }

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/limited/second")).AssertExactLength();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.Message.StatusCode);
        Assert.Equal(contentType, response.ContentType);
        Assert.Equal(text, response.Text);
        Assert.NotNull(response.Message.Headers.RetryAfter);
    }

    [Theory]
    [InlineData("plain-answer.csx", "text/plain; charset=utf-8", "503 UpstreamResponse: please try again later")]
    [InlineData("html-answer.csx", "text/html; charset=utf-8", "<!DOCTYPE html><title>503</title><h1>Error 503</h1><p>UpstreamResponse</p>")]
    public async Task Upstream503_IsAnsweredWithText_NotUnderTheUpstreamJsonType(string transform, string contentType, string text)
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", transform), transform);

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/status/503")).AssertExactLength();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.Message.StatusCode);
        Assert.Equal(contentType, response.ContentType);
        Assert.Equal(text, response.Text);
    }

    [Fact]
    public async Task UpstreamTextRewritten_KeepsTheUpstreamTextType()
    {
        await using var gateway = await StartAsync(GatewaySettings.For(_upstream.Address).WithRoute("open", "plain-answer.csx"), "plain-answer.csx");

        using var response = (await ReceivedResponse.GetAsync(gateway.Client, "/open/errors/html-500")).AssertExactLength();

        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.Equal("500 UpstreamResponse: please try again later", response.Text);
    }

    private static Task<TestGateway> StartAsync(Dictionary<string, string?> settings, params string[] fixtures) =>
        TestGateway.StartAsync(settings, fixtures.Select(f => "Gateway.Tests/Transforms/Fixtures/" + f));
}
