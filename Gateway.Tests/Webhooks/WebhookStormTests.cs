using Gateway.Hosting;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;
using Xunit.Abstractions;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// Ten thousand terminations through the real gateway and the bundled <c>slack-alert.csx</c>, in a few seconds:
/// every one is accounted for (sent, folded into a follow-up, or dropped and counted), and clients never wait on Slack.
/// </summary>
[Collection(WebhookStormGroup.Name)]
public sealed partial class WebhookStormTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Terminations = 10_000;
    private static readonly (string, string) Alerts = ("kind", WebhookMessage.AlertKind);
    private static readonly (string, string) FollowUps = ("kind", WebhookMessage.FollowUpKind);
    private TestUpstream _upstream = null!;
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _slack = await SlackStandIn.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _slack.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Storm_SlackHanging_EveryTerminationIsFoldedOrDroppedAndCountedAndClientsDoNotWait()
    {
        _slack.Hang = true;
        var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
        settings["Gateway:Webhooks:Destinations:slack:Timeout"] = "00:05:00";
        settings["Gateway:Webhooks:Destinations:slack:QueueCapacity"] = "50";
        settings["Gateway:Webhooks:Destinations:slack:DropPolicy"] = "DropOldest";
        settings["Gateway:Webhooks:DrainTimeout"] = "00:00:01";
        var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);
        using var metrics = new WebhookMetricsRecorder(gateway.Service<IMeterFactory>());
        TimeSpan[] latencies;
        try
        {
            // 250 distinct alerts (one per path), each repeated 40 times.
            latencies = await StormAsync(gateway, i => $"/storm/{i % 250}");
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        // Slack held the first delivery for good: a client that waited on it would have waited minutes.
        Assert.True(latencies.Max() < TimeSpan.FromSeconds(5), $"the slowest request took {latencies.Max()} while Slack hung");
        Assert.Single(_slack.Posts);

        AssertEveryScriptMessageIsAccountedFor(gateway, metrics);
        Assert.InRange(metrics.Sum("gateway.webhooks.queued", Alerts), 1, 250);
        Assert.Equal(0, metrics.Sum("gateway.webhooks.sent"));
        Assert.True(metrics.Sum("gateway.webhooks.folded") > 0);
        Assert.True(metrics.Sum("gateway.webhooks.dropped", Alerts, ("reason", WebhookDropReasons.QueueFull)) > 0);
        Assert.Contains(gateway.Logs.Events, e => e.EventId() == EventIds.WebhookDropped && e.Scalar("Destination") == "slack");
        Assert.Contains(gateway.Logs.Events, e => e.EventId() == EventIds.WebhookUndelivered && e.Scalar("Destination") == "slack");
    }

    [Fact]
    public async Task Storm_SlackAnswering_EveryTerminationIsSentOrCountedInAFollowUp()
    {
        var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
        settings["Gateway:Webhooks:Destinations:slack:FoldWindow"] = "00:00:01";

        // A timed-out attempt that Slack did receive would be posted twice when retried: give busy cores all the time.
        settings["Gateway:Webhooks:Destinations:slack:Timeout"] = "00:00:30";
        settings["Gateway:Webhooks:Destinations:slack:RateLimit:MessagesPerSecond"] = "500";
        settings["Gateway:Webhooks:Destinations:slack:RateLimit:Burst"] = "100";
        settings["Gateway:Webhooks:DrainTimeout"] = "00:00:30";
        var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);
        using var metrics = new WebhookMetricsRecorder(gateway.Service<IMeterFactory>());
        try
        {
            await StormAsync(gateway, i => $"/storm/{i % 20}");
        }
        finally
        {
            // Shutdown sends the follow-ups of the windows still open, and drains.
            await gateway.DisposeAsync();
        }

        var firsts = 0;
        var folded = 0;
        var followUps = 0;
        foreach (var (alert, count) in _slack.Posts.SelectMany(post => Messages(post.Body)))
        {
            Assert.Matches(Alert(), alert);
            if (count is { } more)
            {
                followUps++;
                folded += more;
            }
            else
            {
                firsts++;
            }
        }

        output.WriteLine($"{firsts} alerts and {followUps} follow-ups standing for {folded} more reached Slack in {_slack.Posts.Count} posts");
        AssertEveryScriptMessageIsAccountedFor(gateway, metrics);
        Assert.Equal(metrics.Sum("gateway.webhooks.queued", Alerts) + metrics.Sum("gateway.webhooks.folded"), firsts + folded);
        Assert.Equal(folded, metrics.Sum("gateway.webhooks.folded"));
        Assert.Equal(firsts, metrics.Sum("gateway.webhooks.sent", Alerts));
        Assert.Equal(followUps, metrics.Sum("gateway.webhooks.sent", FollowUps));
        Assert.Equal(0, metrics.Sum("gateway.webhooks.dropped") + metrics.Sum("gateway.webhooks.failed"));
    }

    /// <summary>
    /// Every message the scripts sent is queued or folded, and every queued message ended sent, failed or dropped and
    /// counted. Every termination ran slack-alert.csx and sent once, except those whose run the transform budget cut
    /// short (the request log names them): whether such a run got as far as Send is not known, so they bound the count.
    /// </summary>
    private void AssertEveryScriptMessageIsAccountedFor(TestGateway gateway, WebhookMetricsRecorder metrics)
    {
        var cutShort = gateway.Logs.Events.Count(e =>
            e.Scalar("SourceContext") == "Serilog.AspNetCore.RequestLoggingMiddleware" && e.Properties.ContainsKey("TransformFailures"));
        var sent = metrics.Sum("gateway.webhooks.queued", Alerts) + metrics.Sum("gateway.webhooks.folded") +
            metrics.Sum("gateway.webhooks.dropped", ("reason", WebhookDropReasons.UnknownDestination));
        output.WriteLine($"scripts sent {sent} messages for {Terminations} terminations; {cutShort} transform runs were cut short by their budget");
        foreach (var name in new[] { "queued", "sent", "failed", "dropped", "folded", "retried" })
        {
            output.WriteLine($"  {name}: alerts {metrics.Sum("gateway.webhooks." + name, Alerts)}, follow-ups {metrics.Sum("gateway.webhooks." + name, FollowUps)}, all {metrics.Sum("gateway.webhooks." + name)}");
        }

        Assert.InRange(sent, Terminations - cutShort, Terminations);

        // In terminations: each message a script sent reached Slack (alone or in a follow-up) or is counted as lost.
        Assert.Equal(sent, metrics.Sum("gateway.webhooks.terminations_sent") + metrics.Sum("gateway.webhooks.terminations_lost"));
        foreach (var kind in new[] { Alerts, FollowUps })
        {
            Assert.Equal(
                metrics.Sum("gateway.webhooks.queued", kind),
                metrics.Sum("gateway.webhooks.sent", kind) + metrics.Sum("gateway.webhooks.failed", kind) + metrics.Sum("gateway.webhooks.dropped", kind));
        }
    }

    private async Task<TimeSpan[]> StormAsync(TestGateway gateway, Func<int, string> path)
    {
        var latencies = new TimeSpan[Terminations];
        var statuses = new int[Terminations];
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Terminations), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancel) =>
        {
            var request = Stopwatch.StartNew();
            using var response = await gateway.Client.GetAsync(path(i), cancel);
            latencies[i] = request.Elapsed;
            statuses[i] = (int)response.StatusCode;
        });
        clock.Stop();

        Assert.All(statuses, status => Assert.Equal(404, status));
        var sorted = latencies.Order().ToArray();
        output.WriteLine(FormattableString.Invariant(
            $"{Terminations} terminations in {clock.Elapsed.TotalSeconds:F1} s ({Terminations / clock.Elapsed.TotalSeconds:F0}/s); latency p50 {sorted[Terminations / 2].TotalMilliseconds:F1} ms, p99 {sorted[Terminations * 99 / 100].TotalMilliseconds:F1} ms, max {sorted[^1].TotalMilliseconds:F1} ms"));
        return latencies;
    }

    /// <summary>The messages a post carries (one, or a digest's), each as its alert text and, for a follow-up, its count.</summary>
    private static IEnumerable<(string Alert, int? FollowUpCount)> Messages(string body)
    {
        var post = JsonNode.Parse(body)!;
        if (post["attachments"] is JsonArray attachments)
        {
            // A digest: one section per message, ":red_circle: <text>" and, for a follow-up, "\n_<count> more like this…_".
            foreach (var section in attachments[0]!["blocks"]!.AsArray().Where(b => (string?)b!["type"] == "section"))
            {
                var match = DigestSection().Match((string)section!["text"]!["text"]!);
                Assert.True(match.Success, (string?)section["text"]!["text"]);
                yield return (match.Groups["alert"].Value, match.Groups["count"].Success ? int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture) : null);
            }

            yield break;
        }

        var text = (string)post["text"]!;
        var followUp = FollowUp().Match(text);
        yield return followUp.Success
            ? (followUp.Groups["alert"].Value, int.Parse(followUp.Groups["count"].Value, CultureInfo.InvariantCulture))
            : (text, null);
    }

    [GeneratedRegex(@"^(?<count>\d+) more like this (between \S+ and \S+|at \S+) UTC: (?<alert>.*)$")]
    private static partial Regex FollowUp();

    [GeneratedRegex(@"^:red_circle: (?<alert>[^\n]*)(\n_(?<count>\d+) more like this (between \S+ and \S+|at \S+) UTC_)?$")]
    private static partial Regex DigestSection();

    [GeneratedRegex(@"^GET 127\.0\.0\.1:\d+/storm/\d+ → 404: No route matched the request$")]
    private static partial Regex Alert();
}
