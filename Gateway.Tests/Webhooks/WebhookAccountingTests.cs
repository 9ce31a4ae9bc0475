using Gateway.Hosting;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;
using Xunit.Abstractions;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// Every termination a script reported is accounted for in terminations, not only in messages: it reached Slack (on
/// its own, in a follow-up or a digest) or is counted in <c>gateway.webhooks.terminations_lost</c> by reason.
/// </summary>
public sealed partial class WebhookAccountingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackStandIn.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    [Fact]
    public async Task StormIntoAQueueOfFive_TerminationsLostPlusSent_EqualTerminationsMade()
    {
        const int Made = 600;

        // Two refusals for good, then Slack answers; a slow pace, a queue of five, and a drain cut short at shutdown:
        // every way of losing a message happens.
        _slack.Answer(SlackAnswer.BadRequest("invalid_payload"), SlackAnswer.BadRequest("invalid_payload"));
        var settings = WebhookSettings.For(_slack.Url)
            .With("slack", "QueueCapacity", "5").With("slack", "FoldWindow", "00:00:00.300")
            .With("slack", "RateLimit:MessagesPerSecond", "10").With("slack", "RateLimit:Burst", "1").With("slack", "Digests", "true");
        settings["Gateway:Webhooks:DrainTimeout"] = "00:00:00.500";
        await using var host = await WebhookTestHost.StartAsync(settings);

        // 60 distinct alerts, ten times each, in three waves so that fold windows close in between.
        for (var i = 0; i < Made; i++)
        {
            host.Sender.Send($"alert {i % 60}");
            if (i % 200 == 199)
            {
                await Task.Delay(400);
            }
        }

        await host.StopAsync();

        var sent = host.Metrics.Sum("gateway.webhooks.terminations_sent", ("destination", "slack"));
        var lost = host.Metrics.Sum("gateway.webhooks.terminations_lost", ("destination", "slack"));
        foreach (var reason in new[] { WebhookDropReasons.QueueFull, WebhookDropReasons.Rejected, WebhookDropReasons.Shutdown })
        {
            output.WriteLine($"lost ({reason}): {host.Metrics.Sum("gateway.webhooks.terminations_lost", ("reason", reason))}");
        }

        output.WriteLine($"sent {sent}, lost {lost}, in {host.Metrics.Sum("gateway.webhooks.sent")} messages");
        Assert.Equal(Made, sent + lost);
        Assert.True(host.Metrics.Sum("gateway.webhooks.terminations_lost", ("reason", WebhookDropReasons.QueueFull)) > 0);
        Assert.True(host.Metrics.Sum("gateway.webhooks.terminations_lost", ("reason", WebhookDropReasons.Rejected)) >= 2);

        // What Slack accepted stands for at least what the gateway counts as sent (a post cut off by the drain deadline
        // may have arrived all the same).
        var accepted = _slack.Posts.Where(post => post.Answer.Status == 200).Sum(post => TerminationsIn(post.Body));
        Assert.InRange(accepted, sent, Made);

        // The loss warnings say how many terminations were lost, not only messages.
        Assert.Contains(host.Logs.Events, e => e.EventId() == EventIds.WebhookDropped && e.Scalar("DroppedTerminations") is { } count && count != "0");
    }

    [Fact]
    public async Task UnknownDestination_LosesOneTerminationPerMessage()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(null), start: false);

        host.Sender.Send("nowhere", "a");
        host.Sender.Send("nowhere", "b");

        Assert.Equal(2, host.Metrics.Sum("gateway.webhooks.terminations_lost", ("reason", WebhookDropReasons.UnknownDestination)));
    }

    /// <summary>How many terminations a post to Slack stands for, read from what it says.</summary>
    internal static long TerminationsIn(string body)
    {
        var post = JsonNode.Parse(body)!;
        if (post["attachments"]?[0]?["blocks"]?[0]?["text"]?["text"] is JsonValue header && Digest().Match((string)header!) is { Success: true } digest)
        {
            return long.Parse(digest.Groups["count"].Value, CultureInfo.InvariantCulture);
        }

        var text = (string)post["text"]!;
        var followUp = FollowUp().Match(text);
        return followUp.Success ? long.Parse(followUp.Groups["count"].Value, CultureInfo.InvariantCulture) : 1;
    }

    [GeneratedRegex(@"^(?<count>\d+) more like this")]
    private static partial Regex FollowUp();

    [GeneratedRegex(@"^\d+ alerts · (?<count>\d+) terminations$")]
    private static partial Regex Digest();
}
