using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;
using Gateway.Webhooks.Formatting;

namespace Gateway.Tests.Webhooks;

/// <summary>Resolved notices (opt-in, <c>ResolveAfter</c>): a folded storm that has gone quiet is announced as over, once.</summary>
public sealed class ResolvedNoticeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 2, 11, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackStandIn.StartAsync();

    public async Task DisposeAsync() => await _slack.DisposeAsync();

    [Fact]
    public void Expire_StormQuietForResolveAfter_GivesOneNoticeWithOccurrencesAndSpan()
    {
        var folder = new StormFolder(Window, resolveAfter: TimeSpan.FromMinutes(2));
        for (var i = 0; i < 38; i++)
        {
            folder.Admit("k", Message(), Start.AddSeconds(i * 10));
        }

        // The last one came at 10:08:21; windows close with follow-ups while it lasts, then stay until 2 min of quiet.
        var followUps = Enumerable.Range(1, 8).SelectMany(minute => folder.Expire(Start.AddMinutes(minute))).ToList();
        Assert.All(followUps, m => Assert.Null(m.Resolved));
        Assert.Empty(folder.Expire(Start.AddSeconds(370 + 119)));

        var notice = Assert.Single(folder.Expire(Start.AddSeconds(370 + 120)));

        Assert.Equal("Resolved — 38 occurrences between 10:02:11 and 10:08:21 UTC", notice.ResolvedSummary);
        Assert.Equal(0, notice.Terminations);
        Assert.Equal(WebhookMessage.ResolvedKind, notice.Kind);
        Assert.Equal(0, folder.OpenWindows);
        Assert.Empty(folder.Expire(Start.AddHours(1)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(120)]
    public void Expire_NoStorm_OrResolveOff_GivesNoNotice(int resolveAfterSeconds)
    {
        var folder = new StormFolder(Window, TimeSpan.FromSeconds(resolveAfterSeconds));
        folder.Admit("lone", Message(), Start);
        folder.Admit("storm", Message(), Start);
        folder.Admit("storm", Message(), Start.AddSeconds(1));

        var all = Enumerable.Range(1, 10).SelectMany(minute => folder.Expire(Start.AddMinutes(minute))).ToList();

        Assert.Equal(resolveAfterSeconds > 0 ? 1 : 0, all.Count(m => m.Resolved is not null));
    }

    [Fact]
    public async Task Deliver_ResolvedNotice_IsGreenInSlack()
    {
        var clock = new WebhookTestClock();
        var settings = WebhookSettings.For(_slack.Url).With("slack", "ResolveAfter", "00:02:00");
        await using var host = await WebhookTestHost.StartAsync(settings, clock);

        for (var i = 0; i < 5; i++)
        {
            host.Sender.Send(new WebhookAlert("Upstream down") { Text = "GET /api → 502", Severity = AlertSeverity.Critical });
        }

        clock.Advance(TimeSpan.FromSeconds(60));
        await _slack.WaitForPostsAsync(2);
        clock.Advance(TimeSpan.FromSeconds(120));
        var posts = await _slack.WaitForPostsAsync(3);

        var notice = JsonNode.Parse(posts[2].Body)!;
        Assert.Equal(SlackPayload.ResolvedColor, (string?)notice["attachments"]![0]!["color"]);
        Assert.Equal("Resolved: Upstream down", (string?)notice["attachments"]![0]!["blocks"]![0]!["text"]!["text"]);
        Assert.StartsWith("Resolved — 5 occurrences between 12:00:00 and 12:00:00 UTC", (string?)notice["text"], StringComparison.Ordinal);
        SlackPayloadLimits.AssertWithin(posts[2].Body);
    }

    private static WebhookMessage Message() => new("slack", "GET example.com/ → 502: upstream down", null, Start);
}
