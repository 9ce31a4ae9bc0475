using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Gateway.DemoUpstream;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.DemoUpstream;

/// <summary>The demo upstream the bundled configuration proxies to, run on its own on a free loopback port.</summary>
public sealed class DemoUpstreamTests
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData("/", HttpStatusCode.OK, "Hello from the demo upstream")]
    [InlineData("/orders/7", HttpStatusCode.OK, "Hello from the demo upstream")]
    [InlineData("/status/503", HttpStatusCode.ServiceUnavailable, "The demo upstream answered 503")]
    [InlineData("/status/418", (HttpStatusCode)418, "The demo upstream answered 418")]
    [InlineData("/slow?ms=1", HttpStatusCode.OK, "Sorry for the wait")]
    public async Task Get_Path_AnswersStatusAndJsonMessage(string path, HttpStatusCode status, string message)
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        await using var upstream = await StartAsync(url);

        using var response = await Client.GetAsync(new Uri(url, path));

        Assert.Equal(status, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message, body.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Get_StatusWithoutBody_AnswersEmpty()
    {
        var url = new Uri($"http://127.0.0.1:{FreePort()}");
        await using var upstream = await StartAsync(url);

        using var response = await Client.GetAsync(new Uri(url, "/status/204"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(true, "http://127.0.0.1:8001", true)]
    [InlineData(false, "not a url", true)]
    [InlineData(true, "not a url", false)]
    [InlineData(true, "https://127.0.0.1:8001", false)]
    [InlineData(true, "/relative", false)]
    public void Validate_Url_MustBeAbsoluteHttpWhenEnabled(bool enabled, string url, bool valid)
    {
        var result = new DemoUpstreamOptionsValidator().Validate(null, new DemoUpstreamOptions { Enabled = enabled, Url = url });

        Assert.Equal(valid, result.Succeeded);
    }

    private static async Task<DemoUpstreamService> StartAsync(Uri url)
    {
        var options = Options.Create(new DemoUpstreamOptions { Enabled = true, Url = url.ToString().TrimEnd('/') });
        var upstream = new DemoUpstreamService(options, NullLogger<DemoUpstreamService>.Instance);
        await upstream.StartAsync(CancellationToken.None);
        return upstream;
    }

    // Asked of the OS and released: the service takes a URL, not a listener.
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
