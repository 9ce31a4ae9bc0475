using Gateway.Scripting.Testing;

namespace Gateway.Tests.Samples;

/// <summary><c>Transforms/slack-alert.csx</c>, loaded from the repository and run as the gateway runs it.</summary>
public sealed class SlackAlertTransformTests
{
    private readonly LoadedTransform _slackAlert = TransformLoader.Load(TransformFiles.Find("Transforms/slack-alert.csx"));

    [Fact]
    public async Task RunAsync_NoApiKey_QueuesOneAlertToTheDefaultDestination()
    {
        var result = await _slackAlert.RunAsync(Termination.Gateway(401, "No API key found in request"));

        var sent = Assert.Single(result.Webhooks.Sent);
        Assert.Null(sent.Destination);
        Assert.Equal("GET example.com/ → 401: No API key found in request", sent.Text);
    }

    [Fact]
    public async Task RunAsync_NoApiKey_LeavesResponseUnchanged()
    {
        var result = await _slackAlert.RunAsync(Termination.Gateway(401, "No API key found in request"));

        Assert.Empty(result.Failures);
        Assert.Equal(401, result.Status);
        Assert.Equal("""{"message":"No API key found in request"}""", result.BodyJson);
        Assert.Equal(["WWW-Authenticate"], result.Headers.Names);
    }

    [Fact]
    public async Task RunAsync_Request_NamesMethodHostAndPath()
    {
        var input = Termination.Gateway(429, "API rate limit exceeded").WithRequest(method: "POST", host: "api.example.com", path: "/orders");

        var result = await _slackAlert.RunAsync(input);

        Assert.Equal(["POST api.example.com/orders → 429: API rate limit exceeded"], result.Webhooks.Messages);
    }

    [Fact]
    public async Task RunAsync_MultiLineUpstreamText_KeepsAlertToOneLineOf300Characters()
    {
        var page = "<html>\n" + new string('x', 400) + "\n</html>";

        var result = await _slackAlert.RunAsync(Termination.Upstream(503).WithText(page, "text/html"));

        var expected = "<html> " + new string('x', 293) + "…";
        Assert.Equal([$"GET example.com/ → 503: {expected}"], result.Webhooks.Messages);
        Assert.Equal(page, result.Text);
    }

    [Fact]
    public async Task RunAsync_NoBody_SaysNoMessage()
    {
        var result = await _slackAlert.RunAsync(Termination.Upstream(500));

        Assert.Equal(["GET example.com/ → 500: (no message)"], result.Webhooks.Messages);
    }
}
