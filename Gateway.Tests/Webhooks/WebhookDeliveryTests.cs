using Gateway.Hosting;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// Delivery over real HTTP to a loopback stand-in for Slack that fails on purpose. Timing assertions are lower bounds
/// (a busy machine only makes gaps longer) or generous upper bounds; the rest are exact counts and orders.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackStandIn.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    [Fact]
    public async Task Deliver_ServerErrors_RetriesWithExponentialBackoff()
    {
        _slack.Answer(SlackAnswer.ServerError, SlackAnswer.ServerError, SlackAnswer.ServerError);
        var settings = WebhookSettings.For(_slack.Url).With("slack", "Retry:Delay", "00:00:00.200").With("slack", "Retry:MaxRetries", "3");
        await using var host = await WebhookTestHost.StartAsync(settings);

        host.Sender.Send("boom");

        var posts = await _slack.WaitForPostsAsync(4);
        await WaitUntil(() => host.Metrics.Sum("gateway.webhooks.sent") == 1);
        Assert.All(posts, p => Assert.Equal(posts[0].Body, p.Body));
        for (var retry = 1; retry <= 3; retry++)
        {
            var gap = posts[retry].At - posts[retry - 1].At;
            var backoff = TimeSpan.FromMilliseconds(200 * Math.Pow(2, retry - 1));
            Assert.True(gap >= backoff * 0.9, $"retry {retry} came {gap.TotalMilliseconds} ms after the attempt before, not after {backoff.TotalMilliseconds} ms");
        }

        Assert.Equal(3, host.Metrics.Sum("gateway.webhooks.retried", ("destination", "slack")));
        Assert.Equal(1, host.Metrics.Count("gateway.webhooks.delivery.duration", ("destination", "slack")));
        Assert.Equal(0, host.Metrics.Sum("gateway.webhooks.failed"));
    }

    [Fact]
    public async Task Deliver_ResetSlowAndOverloaded_AreRetriedWithJitter()
    {
        _slack.Answer(SlackAnswer.Reset, SlackAnswer.Slow(TimeSpan.FromSeconds(5)), SlackAnswer.TooManyRequests(0), SlackAnswer.ServerError);
        var settings = WebhookSettings.For(_slack.Url)
            .With("slack", "Retry:UseJitter", "true").With("slack", "Retry:MaxRetries", "4").With("slack", "Timeout", "00:00:02");
        await using var host = await WebhookTestHost.StartAsync(settings);

        host.Sender.Send("boom");

        await _slack.WaitForPostsAsync(5);
        await WaitUntil(() => host.Metrics.Sum("gateway.webhooks.sent") == 1);
        Assert.Equal(5, _slack.Posts.Count);
        Assert.Equal(4, host.Metrics.Sum("gateway.webhooks.retried"));
    }

    [Fact]
    public async Task Deliver_TooManyRequests_WaitsAsLongAsRetryAfterSays()
    {
        _slack.Answer(SlackAnswer.TooManyRequests(2));
        var settings = WebhookSettings.For(_slack.Url).With("slack", "Retry:Delay", "00:00:00.010");
        await using var host = await WebhookTestHost.StartAsync(settings);

        host.Sender.Send("boom");

        var posts = await _slack.WaitForPostsAsync(2);
        var gap = posts[1].At - posts[0].At;
        Assert.True(gap >= TimeSpan.FromSeconds(1.9), $"the retry came {gap.TotalMilliseconds} ms after the 429, before its Retry-After of 2 s");
        await WaitUntil(() => host.Metrics.Sum("gateway.webhooks.sent") == 1);
    }

    [Fact]
    public async Task Deliver_BadRequest_IsNotRetriedAndSlacksErrorIsLoggedOnce()
    {
        _slack.Answer(SlackAnswer.BadRequest("invalid_payload"), SlackAnswer.BadRequest("invalid_payload"), SlackAnswer.BadRequest("invalid_payload"));
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(_slack.Url));

        for (var i = 0; i < 4; i++)
        {
            host.Sender.Send($"message {i}");
        }

        // One loop delivers in order: had a refused message been retried, its retry would come before the next one.
        var posts = await _slack.WaitForPostsAsync(4);
        await WaitUntil(() => host.Metrics.Sum("gateway.webhooks.sent") == 1);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"message {i}"), posts.Select(p => (string?)JsonNode.Parse(p.Body)!["text"]));
        Assert.Equal(3, host.Metrics.Sum("gateway.webhooks.failed", ("destination", "slack")));
        Assert.Equal(0, host.Metrics.Sum("gateway.webhooks.retried"));
        var refused = Assert.Single(host.Logs.Events, e => e.EventId() == EventIds.WebhookRejected);
        Assert.Equal(("slack", "400", "invalid_payload"), (refused.Scalar("Destination"), refused.Scalar("StatusCode"), refused.Scalar("ResponseBody")));

        // The two refusals after the first are summarised, not lost.
        await host.StopAsync();
        var summary = Assert.Single(host.Logs.Events, e => e.EventId() == EventIds.WebhookRepeatedFailures);
        Assert.Equal("2", summary.Scalar("FailedCount"));
    }

    [Fact]
    public async Task Deliver_Hang_TimesOutEachAttemptThenGivesUp()
    {
        _slack.Hang = true;
        var settings = WebhookSettings.For(_slack.Url).With("slack", "Timeout", "00:00:00.500").With("slack", "Retry:MaxRetries", "2");
        await using var host = await WebhookTestHost.StartAsync(settings);

        host.Sender.Send("boom");

        await WaitUntil(() => host.Metrics.Sum("gateway.webhooks.failed") == 1);
        Assert.Equal(3, _slack.Posts.Count);
        var gaveUp = Assert.Single(host.Logs.Events, e => e.EventId() == EventIds.WebhookGaveUp);
        Assert.Equal(("slack", "3"), (gaveUp.Scalar("Destination"), gaveUp.Scalar("Attempts")));
        Assert.Equal("no answer within 00:00:00.5000000", gaveUp.Scalar("FailureReason"));
    }

    [Fact]
    public async Task Deliver_RateLimit_SpacesMessagesAfterTheBurst()
    {
        // One message per post: this is about pacing posts, not about packing them.
        var settings = WebhookSettings.For(_slack.Url).With("slack", "RateLimit:MessagesPerSecond", "5").With("slack", "RateLimit:Burst", "2").With("slack", "Digests", "false");
        await using var host = await WebhookTestHost.StartAsync(settings);

        for (var i = 0; i < 12; i++)
        {
            host.Sender.Send($"message {i}");
        }

        // Two go out at once; the other ten wait for a token each, one every 200 ms.
        var posts = await _slack.WaitForPostsAsync(12);
        var span = posts[11].At - posts[0].At;
        Assert.True(span >= TimeSpan.FromSeconds(1.8), $"12 messages went out within {span.TotalMilliseconds} ms at 5 a second with a burst of 2");
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"message {i}"), posts.Select(p => (string?)JsonNode.Parse(p.Body)!["text"]));
    }

    [Fact]
    public async Task Deliver_HangingDestination_DoesNotHoldUpAnother()
    {
        await using var ops = await SlackStandIn.StartAsync();
        _slack.Hang = true;
        var settings = WebhookSettings.For(_slack.Url).WithDestination("ops", ops.Url, "Json").With("slack", "Timeout", "00:05:00").With("slack", "Digests", "false");
        settings["Gateway:Webhooks:DrainTimeout"] = "00:00:00.500";
        await using var host = await WebhookTestHost.StartAsync(settings);

        for (var i = 0; i < 5; i++)
        {
            host.Sender.Send($"to slack {i}");
            host.Sender.Send("ops", $"to ops {i}");
        }

        var opsPosts = await ops.WaitForPostsAsync(5);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"to ops {i}"), opsPosts.Select(p => (string?)JsonNode.Parse(p.Body)!["text"]));
        Assert.Single(_slack.Posts);
        Assert.Equal(4, host.Queue["slack"].Count);
    }

    [Fact]
    public async Task Deliver_StormOfLikeMessages_SendsTheFirstThenOneFollowUpWithTheExactCount()
    {
        var clock = new WebhookTestClock();
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(_slack.Url), clock);

        for (var i = 0; i < 38; i++)
        {
            host.Sender.Send("GET example.com/ → 502: upstream down");
        }

        Assert.Equal("GET example.com/ → 502: upstream down", (string?)JsonNode.Parse(await _slack.NextPostAsync())!["text"]);
        clock.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal("37 more like this at 12:00:00 UTC: GET example.com/ → 502: upstream down", (string?)JsonNode.Parse(await _slack.NextPostAsync())!["text"]);
        Assert.Equal(37, host.Metrics.Sum("gateway.webhooks.folded", ("destination", "slack")));
        await WaitUntil(() => host.Metrics.Sum("gateway.webhooks.sent", ("kind", "follow_up")) == 1);
        Assert.Equal(1, host.Metrics.Sum("gateway.webhooks.sent", ("kind", "alert")));
        Assert.Equal(2, _slack.Posts.Count);
    }

    [Fact]
    public async Task Deliver_Alert_IsBlockKitForSlackAndPlainJsonForAGenericWebhook()
    {
        await using var ops = await SlackStandIn.StartAsync();
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(_slack.Url).WithDestination("ops", ops.Url, "Json"));
        var alert = new WebhookAlert("Upstream down")
        {
            Text = "GET /api → 502",
            Severity = AlertSeverity.Critical,
            Fields = new Dictionary<string, string> { ["Route"] = "api" },
        };

        host.Sender.Send(alert);
        host.Sender.Send("ops", alert);

        var slack = JsonNode.Parse(await _slack.NextPostAsync())!;
        Assert.Equal("#8B0000", (string?)slack["attachments"]![0]!["color"]);
        Assert.Equal("Upstream down", (string?)slack["attachments"]![0]!["blocks"]![0]!["text"]!["text"]);
        var json = JsonNode.Parse(await ops.NextPostAsync())!;
        Assert.Equal(("Upstream down", "GET /api → 502", "critical", "api"), ((string?)json["title"], (string?)json["text"], (string?)json["severity"], (string?)json["fields"]!["Route"]));
    }

    [Fact]
    public async Task Stop_DrainsWhatIsQueuedBeforeTheDeadline()
    {
        var settings = WebhookSettings.For(_slack.Url).With("slack", "RateLimit:MessagesPerSecond", "10").With("slack", "RateLimit:Burst", "1");
        settings["Gateway:Webhooks:DrainTimeout"] = "00:00:30";
        await using var host = await WebhookTestHost.StartAsync(settings);
        for (var i = 0; i < 10; i++)
        {
            host.Sender.Send($"message {i}");
        }

        await host.StopAsync();

        Assert.Equal(10, _slack.Posts.Count);
        Assert.Equal(10, host.Metrics.Sum("gateway.webhooks.sent"));
        Assert.DoesNotContain(host.Logs.Events, e => e.EventId() == EventIds.WebhookUndelivered);
        Assert.Contains(host.Logs.Events, e => e.EventId() == EventIds.WebhookDrained && e.Scalar("Destination") == "slack");
    }

    [Fact]
    public async Task Stop_PastTheDrainDeadline_CountsAndLogsWhatWasNotDeliveredPerDestination()
    {
        _slack.Hang = true;
        var settings = WebhookSettings.For(_slack.Url).With("slack", "Timeout", "00:05:00").WithDestination("ops", null, "Json");
        settings["Gateway:Webhooks:DrainTimeout"] = "00:00:01";
        await using var host = await WebhookTestHost.StartAsync(settings);
        for (var i = 0; i < 5; i++)
        {
            host.Sender.Send($"message {i}");
            host.Sender.Send("ops", $"logged {i}");
        }

        await _slack.NextPostAsync();
        var clock = Stopwatch.StartNew();
        await host.StopAsync();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"stopping took {clock.Elapsed} with a drain deadline of 1 s");
        var undelivered = Assert.Single(host.Logs.Events, e => e.EventId() == EventIds.WebhookUndelivered);
        Assert.Equal(("slack", "5"), (undelivered.Scalar("Destination"), undelivered.Scalar("UndeliveredCount")));
        Assert.Equal(5, host.Metrics.Sum("gateway.webhooks.dropped", ("destination", "slack"), ("reason", "shutdown")));
        Assert.Equal(5, host.Metrics.Sum("gateway.webhooks.sent", ("destination", "ops")));
    }

    [Fact]
    public async Task Stop_SendsTheFollowUpsOfOpenFoldWindows()
    {
        var clock = new WebhookTestClock();
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(_slack.Url), clock);
        for (var i = 0; i < 10; i++)
        {
            host.Sender.Send("boom");
        }

        await _slack.NextPostAsync();
        clock.Advance(TimeSpan.FromSeconds(12));
        await host.StopAsync();

        Assert.Equal("9 more like this at 12:00:00 UTC: boom", (string?)JsonNode.Parse(Assert.Single(_slack.Received.Skip(1)))!["text"]);
        Assert.Equal(9, host.Metrics.Sum("gateway.webhooks.folded"));
    }

    [Fact]
    public async Task Deliver_Failures_NeverLogTheUrl()
    {
        _slack.Answer(
            SlackAnswer.BadRequest("invalid_payload"),
            SlackAnswer.ServerError, SlackAnswer.ServerError,
            SlackAnswer.Reset, SlackAnswer.Reset,
            SlackAnswer.Hang, SlackAnswer.Hang,
            SlackAnswer.NoService);
        var settings = WebhookSettings.For(_slack.Url).With("slack", "Retry:MaxRetries", "1").With("slack", "Timeout", "00:00:01");
        await using var host = await WebhookTestHost.StartAsync(settings);

        for (var i = 0; i < 5; i++)
        {
            host.Sender.Send($"message {i}");
        }

        await WaitUntil(() => host.Metrics.Sum("gateway.webhooks.failed") == 5);
        await host.StopAsync();
        Assert.Contains(host.Logs.Events, e => e.EventId() == EventIds.WebhookRejected);
        Assert.Contains(host.Logs.Events, e => e.EventId() == EventIds.WebhookGaveUp);
        Assert.DoesNotContain(host.Logs.Events, e =>
            e.RenderMessage(null).Contains("secret-token", StringComparison.Ordinal) ||
            e.Properties.Values.Any(v => v.ToString().Contains("secret-token", StringComparison.Ordinal)) ||
            (e.Exception?.ToString().Contains("secret-token", StringComparison.Ordinal) ?? false));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "The condition did not come true within 20 s.");
            await Task.Delay(10);
        }
    }
}
