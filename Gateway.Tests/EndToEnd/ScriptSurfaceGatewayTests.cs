using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// The script API's holes as a client met them, against the real gateway on loopback: a CR/LF value slipped in through
/// <c>Headers.GetValues</c> (an empty 500), and <c>Status = 103</c> written as the final response (the client waited for
/// ever). Each transform now fails on its own, and the client gets the response as it stood before it.
/// </summary>
public sealed class ScriptSurfaceGatewayTests : IAsyncLifetime
{
    // Far above a healthy answer on a busy machine; only a gateway that leaves the client waiting reaches it.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task ValueAddedThroughGetValues_NeverReachesKestrel()
    {
        await using var gateway = await StartAsync("inject.csx", """
            Headers["x-a"] = "1";
            if (Headers.GetValues("x-a") is List<string> live) live.Add("bad\r\nInjected: yes");
            """);

        using var response = await gateway.Client.GetAsync("/nowhere");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["1"], response.Headers.GetValues("x-a"));
        Assert.False(response.Headers.Contains("Injected"));
        Assert.Equal("No route matched the request", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]);
    }

    [Fact]
    public async Task Status103_OnTheGatewaysTermination_AnswersTheTerminationAsItWas()
    {
        await using var gateway = await StartAsync("interim.csx", "Headers[\"x-before\"] = \"set\";\nStatus = 103;\n");
        using var patience = new CancellationTokenSource(Patience);

        using var response = await gateway.Client.GetAsync("/nowhere", patience.Token);

        await HttpAssert.TerminationAsync(response, HttpStatusCode.NotFound, "No route matched the request");
        Assert.False(response.Headers.Contains("x-before"));
        var failure = await gateway.Logs.WaitForAsync(e => e.Properties.ContainsKey("TransformLine"));
        Assert.Equal("\"ArgumentOutOfRangeException\"", failure.Properties["ErrorType"].ToString());
    }

    [Fact]
    public async Task Status103_OnTheUpstreamsResponse_PassesItOnAsItCame()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("open", "interim.csx");
        await using var gateway = await TestGateway.StartAsync(settings, [], files: new Dictionary<string, string> { ["interim.csx"] = "Status = 103;\n" });
        using var patience = new CancellationTokenSource(Patience);

        using var response = await gateway.Client.GetAsync("/open/errors/status/500", patience.Token);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("""{"message":"upstream 500"}""", await response.Content.ReadAsStringAsync(patience.Token));
    }

    private Task<TestGateway> StartAsync(string name, string source) =>
        TestGateway.StartAsync(GatewaySettings.For(_upstream.Address).WithGlobal(name), [], files: new Dictionary<string, string> { [name] = source });
}
