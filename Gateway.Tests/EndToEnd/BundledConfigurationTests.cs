using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// The seed scenario of PRODUCT.md against the bundled appsettings.json and the repository's Transforms folder,
/// as <c>dotnet run --project Gateway</c> serves them; only the ports are moved to free ones.
/// </summary>
public sealed class BundledConfigurationTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        var demoPort = LoopbackServer.ClosedPort();
        _gateway = await TestGateway.StartAsync(
            new Dictionary<string, string?>
            {
                ["Gateway:Transforms:Path"] = "../Transforms",
                ["Gateway:DemoUpstream:Url"] = $"http://127.0.0.1:{demoPort}",
                ["ReverseProxy:Clusters:demo:Destinations:upstream:Address"] = $"http://127.0.0.1:{demoPort}/",
            },
            [],
            contentRoot: RepositoryPaths.GatewayProject);
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Seed_NoKey_Is401WithHeaderAndArrBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "example.com";

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("some value", Assert.Single(response.Headers.GetValues("x-some-header")));
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("{\"error\":true,\"status\":401,\"message\":\"No API key found in request, arr!\"}", await response.Content.ReadAsStringAsync());

        var alert = await _gateway.Logs.WaitForAsync(e => e.Properties.ContainsKey("WebhookText"));
        Assert.Equal("\"GET example.com/ → 401: No API key found in request\"", alert.Properties["WebhookText"].ToString());
    }

    [Fact]
    public async Task Seed_DemoKey_IsAnsweredByTheDemoUpstream()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Host = "example.com";
        request.Headers.Add("apikey", "demo-key");

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hello from the demo upstream", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
