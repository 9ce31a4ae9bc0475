using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;
using Gateway.Webhooks.Formatting;
using Xunit.Abstractions;

namespace Gateway.Tests.Webhooks;

/// <summary>
/// Digests: when Slack's rate holds messages back, what waits goes out together, most severe first, within Slack's
/// limits, each alert named or counted. The storms run against a stand-in that enforces Slack's rate with 429s.
/// </summary>
[Collection(WebhookStormGroup.Name)]
public sealed class WebhookDigestTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackStandIn.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    [Fact]
    public void Digest_HugeAlerts_StaysWithinSlacksLimits_AndSaysHowManyMoreWait()
    {
        var huge = new string('<', 5_000);
        var messages = Enumerable.Range(0, SlackDigest.MaxMessages)
            .Select(i => new WebhookMessage("slack", null, new WebhookAlert(huge)
            {
                Text = huge,
                Severity = AlertSeverity.Critical,
                Fields = Enumerable.Range(0, 30).ToDictionary(f => $"field {f} {huge}", _ => huge),
            }, Now).FollowUp(i + 1, Now, Now, Now))
            .ToList();

        var digest = SlackDigest.For(messages, waiting: 155);

        SlackPayloadLimits.AssertWithin(digest.ToJsonString());
        var blocks = digest["attachments"]![0]!["blocks"]!.AsArray();
        Assert.Equal($"45 alerts · {45 * 46 / 2} terminations", (string?)blocks[0]!["text"]!["text"]);
        Assert.Equal("_…and 155 more waiting, in the next message_", (string?)blocks[^1]!["elements"]![0]!["text"]);
        Assert.All(blocks.Skip(2).SkipLast(1), block => Assert.DoesNotContain('<', (string)block!["text"]!["text"]!));
    }

    [Fact]
    public void SlackFormatter_OneMessage_IsTheUsualPost_SeveralAreADigestInTheOrderGiven()
    {
        var formatter = new SlackFormatter();
        var options = new WebhookDestinationOptions();
        var critical = new WebhookMessage("slack", null, new WebhookAlert("Upstream down") { Severity = AlertSeverity.Critical }, Now);
        var text = new WebhookMessage("slack", "GET example.com/ → 404", null, Now);

        Assert.Equal(SlackPayload.For(text).ToJsonString(), formatter.Format([text], 0, options).ToJsonString());
        var digest = formatter.Format([critical, text], 0, options);
        var sections = digest["attachments"]![0]!["blocks"]!.AsArray().Where(b => (string?)b!["type"] == "section").Select(b => (string)b!["text"]!["text"]!).ToList();
        Assert.Equal([":rotating_light: *[Critical] Upstream down*", ":red_circle: GET example.com/ → 404"], sections);
        Assert.Equal("#8B0000", (string?)digest["attachments"]![0]!["color"]);
        Assert.Equal(SlackDigest.MaxMessages, formatter.MaxMessagesPerPost(options));
        Assert.Equal(1, formatter.MaxMessagesPerPost(new WebhookDestinationOptions { Digests = false }));
    }

    [Fact]
    public void JsonFormatter_WithDigests_PostsAnArrayEveryTime()
    {
        var formatter = new JsonFormatter();
        var message = new WebhookMessage("ops", "down", null, Now);

        Assert.IsType<JsonObject>(formatter.Format([message], 0, new WebhookDestinationOptions { Kind = "Json" }));
        Assert.Equal(1, formatter.MaxMessagesPerPost(new WebhookDestinationOptions { Kind = "Json" }));
        var digests = new WebhookDestinationOptions { Kind = "Json", Digests = true };
        Assert.Single(formatter.Format([message], 0, digests).AsArray());
        Assert.Equal(2, formatter.Format([message, message], 0, digests).AsArray().Count);
    }

    [Fact]
    public async Task Storm_200DistinctAlertsAtSlacksRate_AllNamedWithin10sInAtMost10Messages_CriticalFirst()
    {
        // Slack's rate, enforced: one a second with a burst of three; the gateway keeps to one a second.
        _slack.Rate = (1, 3);
        var settings = WebhookSettings.For(_slack.Url).With("slack", "RateLimit:MessagesPerSecond", "1").With("slack", "RateLimit:Burst", "1").With("slack", "Digests", "true");
        await using var host = await WebhookTestHost.StartAsync(settings, start: false);

        // The storm arrives while delivery is held back (here: not started yet), as it does behind Slack's rate.
        var titles = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var severity = i % 40 == 17 ? AlertSeverity.Critical : (AlertSeverity)(i % 3);
            var title = $"GET /scan/{i} → 404 ({severity})";
            titles.Add(title);
            host.Sender.Send(new WebhookAlert(title) { Severity = severity, Fields = new Dictionary<string, string> { ["Route"] = "scan", ["Trace"] = $"{i:x32}" } });
        }

        var clock = Stopwatch.StartNew();
        await host.StartDeliveryAsync();
        await WaitUntil(() => host.Metrics.Sum("gateway.webhooks.sent") == 200, TimeSpan.FromSeconds(60));
        var took = clock.Elapsed;

        var posts = _slack.Posts.ToList();
        output.WriteLine($"200 alerts reached Slack in {posts.Count} messages, the last {took.TotalSeconds:F1} s after delivery started");
        Assert.All(posts, post => Assert.Equal(200, post.Answer.Status));
        Assert.InRange(posts.Count, 1, 10);
        Assert.True(took < TimeSpan.FromSeconds(10), $"the 200th alert reached Slack after {took.TotalSeconds:F1} s");
        Assert.All(posts, post => SlackPayloadLimits.AssertWithin(post.Body));

        var named = posts.SelectMany(post => Sections(post.Body)).ToList();
        Assert.All(titles, title => Assert.Single(named, section => section.Contains(title, StringComparison.Ordinal)));
        Assert.All(titles.Where(t => t.EndsWith("(Critical)", StringComparison.Ordinal)), title => Assert.Contains(Sections(posts[0].Body), s => s.Contains(title, StringComparison.Ordinal)));
        Assert.Equal(200, host.Metrics.Sum("gateway.webhooks.terminations_sent"));
    }

    [Fact]
    public async Task Storm_ThroughTheGateway_EveryPathNamedInAFewMessages_No429()
    {
        await using var upstream = await TestUpstream.StartAsync();
        _slack.Rate = (1, 3);
        var settings = GatewaySettings.For(upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
        settings["Gateway:Webhooks:Destinations:slack:RateLimit:MessagesPerSecond"] = "1";
        settings["Gateway:Webhooks:Destinations:slack:RateLimit:Burst"] = "1";
        var gateway = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);
        using var metrics = new WebhookMetricsRecorder(gateway.Service<IMeterFactory>());
        TimeSpan took;
        try
        {
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, cancel) =>
            {
                using var response = await gateway.Client.GetAsync($"/scan/{i}", cancel);
                Assert.Equal(404, (int)response.StatusCode);
            });
            var storm = clock.Elapsed;
            await WaitUntil(() => metrics.Sum("gateway.webhooks.terminations_sent") == 200, TimeSpan.FromSeconds(60));
            took = clock.Elapsed - storm;
            output.WriteLine($"storm of 200 requests in {storm.TotalSeconds:F1} s; all 200 alerts in Slack {took.TotalSeconds:F1} s after it, in {_slack.Posts.Count} messages");
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        var posts = _slack.Posts.ToList();
        Assert.All(posts, post => Assert.Equal(200, post.Answer.Status));
        Assert.All(posts, post => SlackPayloadLimits.AssertWithin(post.Body));
        Assert.InRange(posts.Count, 1, 12);
        var named = posts.SelectMany(post => Sections(post.Body)).ToList();
        Assert.All(Enumerable.Range(0, 200), i => Assert.Single(named, section => section.EndsWith($"/scan/{i} → 404: No route matched the request", StringComparison.Ordinal)));
    }

    /// <summary>Each message a post names: a digest's sections, or a single post's text.</summary>
    private static IEnumerable<string> Sections(string body)
    {
        var post = JsonNode.Parse(body)!;
        var blocks = post["attachments"]?[0]?["blocks"]?.AsArray();
        if (blocks is not null && ((string?)blocks[0]!["text"]!["text"])!.Contains(" alerts · ", StringComparison.Ordinal))
        {
            return blocks.Where(b => (string?)b!["type"] == "section").Select(b => (string)b!["text"]!["text"]!);
        }

        return [blocks is null ? (string)post["text"]! : (string)blocks[0]!["text"]!["text"]!];
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, "timed out waiting");
            await Task.Delay(20);
        }
    }
}
