using System.Text.Json.Nodes;
using Gateway.Commands;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Commands;

/// <summary>The <c>webhook-test</c> command against the loopback Slack stand-in, with a configuration of its own.</summary>
public sealed class WebhookTestCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TempFolder _root = new("gateway-webhook-test-");
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackStandIn.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task WebhookTest_DefaultDestinationAccepts_PrintsItsAnswerAndExitsZero()
    {
        Configure(_slack.Url.ToString());
        using var output = new StringWriter();

        var exit = await WebhookTestCommand.RunAsync([], _root.Path, output);

        Assert.True(exit == 0, output.ToString());
        Assert.Equal("webhook-test: slack (Slack) accepted the test message: HTTP 200 ok (1 attempt).", output.ToString().Trim());
        var post = JsonNode.Parse(Assert.Single(_slack.Posts).Body)!;
        Assert.Equal("Gateway webhook test", (string?)post["attachments"]![0]!["blocks"]![0]!["text"]!["text"]);
        SlackPayloadLimits.AssertWithin(Assert.Single(_slack.Posts).Body);
    }

    [Fact]
    public async Task WebhookTest_RevokedWebhook_PrintsSlacksErrorWithoutTheUrlAndExitsOne()
    {
        Configure(_slack.Url.ToString());
        _slack.Default = SlackAnswer.NoService;
        using var output = new StringWriter();

        var exit = await WebhookTestCommand.RunAsync(["SLACK"], _root.Path, output);

        Assert.Equal(1, exit);
        Assert.Contains("refused the test message: HTTP 404 no_service", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "slack has no URL configured")]
    [InlineData("ops", "no destination 'ops' under Gateway:Webhooks:Destinations (configured: slack)")]
    public async Task WebhookTest_NothingToSendTo_SaysWhyAndExitsOne(string destination, string expected)
    {
        Configure(url: "");
        using var output = new StringWriter();

        var exit = await WebhookTestCommand.RunAsync(destination.Length > 0 ? [destination] : [], _root.Path, output);

        Assert.Equal(1, exit);
        Assert.Contains(expected, output.ToString(), StringComparison.Ordinal);
        Assert.Empty(_slack.Posts);
    }

    private void Configure(string url) => File.WriteAllText(_root.Combine("appsettings.json"), $$"""
        {
          "Gateway": { "Webhooks": {
            "Default": "slack",
            "Destinations": { "slack": { "Kind": "Slack", "Url": "{{url}}", "Timeout": "00:00:05", "Retry": { "MaxRetries": 0 } } }
          } }
        }
        """);
}
