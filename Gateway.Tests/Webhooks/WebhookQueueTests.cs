using Gateway.Hosting;
using System.Diagnostics;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;
using Serilog.Events;

namespace Gateway.Tests.Webhooks;

/// <summary>The queue side of <c>Webhooks.Send</c>, with delivery not started, so that what is queued stays queued.</summary>
public sealed class WebhookQueueTests
{
    [Theory]
    [InlineData("DropNewest", 0)]
    [InlineData("DropOldest", 15)]
    public async Task Send_QueueFull_DropsByPolicyAndCountsEveryDrop(string policy, int firstKept)
    {
        var settings = WebhookSettings.For(null).With("slack", "QueueCapacity", "5").With("slack", "DropPolicy", policy);
        await using var host = await WebhookTestHost.StartAsync(settings, start: false);

        for (var i = 0; i < 20; i++)
        {
            host.Sender.Send($"message {i}");
        }

        var destination = host.Queue["slack"];
        var kept = new List<string?>();
        while (destination.Backlog.TryRead(out var message))
        {
            kept.Add(message.Text);
        }

        Assert.Equal(Enumerable.Range(firstKept, 5).Select(i => $"message {i}"), kept);
        Assert.Equal(20, host.Metrics.Sum("gateway.webhooks.queued", ("destination", "slack")));
        Assert.Equal(15, host.Metrics.Sum("gateway.webhooks.dropped", ("destination", "slack"), ("reason", "queue_full")));
    }

    [Fact]
    public async Task Send_ManyDrops_WarnsAtOnceThenAtMostOncePerIntervalWithTheCount()
    {
        var clock = new WebhookTestClock();
        var settings = WebhookSettings.For(null).With("slack", "QueueCapacity", "1");
        settings["Gateway:Webhooks:WarningInterval"] = "00:00:10";
        await using var host = await WebhookTestHost.StartAsync(settings, clock, start: false);
        var destination = host.Queue["slack"];

        host.Sender.Send("kept");
        for (var i = 0; i < 500; i++)
        {
            host.Sender.Send($"dropped {i}");
        }

        destination.Sweep();
        clock.Advance(TimeSpan.FromSeconds(9));
        destination.Sweep();
        Assert.Equal([1L], DropWarnings(host));

        clock.Advance(TimeSpan.FromSeconds(1));
        destination.Sweep();
        destination.Sweep();
        Assert.Equal([1L, 499L], DropWarnings(host));
        Assert.All(host.Logs.Events.Where(IsDropWarning), e => Assert.Equal("\"slack\"", e.Properties["Destination"].ToString()));
    }

    [Fact]
    public async Task Send_ToANamedDestination_GoesToItsQueueMatchedCaseInsensitively()
    {
        var settings = WebhookSettings.For(null).WithDestination("ops", null, "Json");
        await using var host = await WebhookTestHost.StartAsync(settings, start: false);

        host.Sender.Send("to the default");
        host.Sender.Send("OPS", "to ops");
        host.Sender.Send("ops", new WebhookAlert("an alert for ops"));

        Assert.Equal(1, host.Metrics.QueueLength("slack"));
        Assert.Equal(2, host.Metrics.QueueLength("ops"));
        Assert.True(host.Queue["slack"].Backlog.TryRead(out var toDefault));
        Assert.Equal("to the default", toDefault.Text);
        Assert.True(host.Queue["ops"].Backlog.TryRead(out var toOps));
        Assert.Equal(("ops", "to ops"), (toOps.Destination, toOps.Text));
        Assert.True(host.Queue["ops"].Backlog.TryRead(out var alert));
        Assert.Equal("an alert for ops", alert.Alert?.Title);
    }

    [Fact]
    public async Task Send_UnknownDestination_IsCountedAndLoggedOncePerNameWithoutThrowing()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(null), start: false);

        for (var i = 0; i < 3; i++)
        {
            host.Sender.Send("teams", "lost");
            host.Sender.Send("pager", new WebhookAlert("lost"));
        }

        Assert.Equal(3, host.Metrics.Sum("gateway.webhooks.dropped", ("destination", "teams"), ("reason", "unknown_destination")));
        Assert.Equal(3, host.Metrics.Sum("gateway.webhooks.dropped", ("destination", "pager"), ("reason", "unknown_destination")));
        var logged = host.Logs.Events.Where(e => e.EventId() == EventIds.WebhookUnknownDestination).Select(e => e.Properties["Destination"].ToString());
        Assert.Equal(["\"teams\"", "\"pager\""], logged);
        Assert.Equal(0, host.Queue.Count);
    }

    [Fact]
    public async Task Send_EmptyTextOrNullAlert_IsIgnored()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(null), start: false);

        host.Sender.Send(string.Empty);
        host.Sender.Send("slack", (string)null!);
        host.Sender.Send((WebhookAlert)null!);

        Assert.Equal(0, host.Queue.Count);
        Assert.Equal(0, host.Metrics.Sum("gateway.webhooks.queued"));
    }

    [Fact]
    public async Task Send_AlertFieldsChangedAfterSend_AreQueuedAsTheyWereSent()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(null), start: false);
        var fields = new Dictionary<string, string> { ["Route"] = "api" };

        host.Sender.Send(new WebhookAlert("Down") { Fields = fields });
        fields["Route"] = "changed";
        fields["Added"] = "after Send";

        Assert.True(host.Queue["slack"].Backlog.TryRead(out var queued));
        Assert.Equal([new("Route", "api")], queued.Alert!.Fields!.ToList());
    }

    [Fact]
    public async Task Send_LikeMessages_AreFoldedNotQueued()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(null), start: false);

        for (var i = 0; i < 100; i++)
        {
            host.Sender.Send("GET example.com/ → 401: No API key found in request");
            host.Sender.Send(new WebhookAlert("Upstream down") { Fields = new Dictionary<string, string> { ["Trace"] = $"{i}" } });
        }

        Assert.Equal(2, host.Queue.Count);
        Assert.Equal(2, host.Metrics.QueueLength("slack"));
        Assert.Equal(198, host.Metrics.Sum("gateway.webhooks.folded", ("destination", "slack")));
    }

    [Fact]
    public async Task Send_ToAFullQueue_NeverWaits()
    {
        var settings = WebhookSettings.For(null).With("slack", "QueueCapacity", "10").With("slack", "FoldWindow", "00:00:00");
        await using var host = await WebhookTestHost.StartAsync(settings, start: false);

        // 100,000 sends into a queue of 10 that nothing reads: a Send that waited for room would never return.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100_000; i++)
        {
            host.Sender.Send($"message {i}");
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"100,000 sends took {clock.Elapsed}");
        Assert.Equal(10, host.Queue.Count);
        Assert.Equal(99_990, host.Metrics.Sum("gateway.webhooks.dropped", ("reason", "queue_full")));
    }

    [Fact]
    public async Task Send_AfterShutdownBegan_IsDroppedAndCounted()
    {
        await using var host = await WebhookTestHost.StartAsync(WebhookSettings.For(null), start: false);
        host.Queue["slack"].Close();

        host.Sender.Send("too late");

        Assert.Equal(1, host.Metrics.Sum("gateway.webhooks.queued", ("destination", "slack")));
        Assert.Equal(1, host.Metrics.Sum("gateway.webhooks.dropped", ("destination", "slack"), ("reason", "shutdown")));
        Assert.Equal(0, host.Queue.Count);
    }

    private static bool IsDropWarning(LogEvent e) => e.EventId() == EventIds.WebhookDropped;

    private static List<long> DropWarnings(WebhookTestHost host) =>
        [.. host.Logs.Events.Where(IsDropWarning).Select(e => long.Parse(e.Properties["DroppedCount"].ToString(), System.Globalization.CultureInfo.InvariantCulture))];
}
