using Gateway.Scripting;
using Gateway.Webhooks;

namespace Gateway.Tests.Webhooks;

/// <summary>The destination queue, most severe first; when full, the lowest severity goes first.</summary>
public sealed class WebhookBacklogTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Read_MostSevereFirst_EachSeverityOldestFirst()
    {
        var backlog = new WebhookBacklog(10, WebhookDropPolicy.DropOldest, _ => { });
        foreach (var (title, severity) in new[] { ("i1", AlertSeverity.Info), ("w1", AlertSeverity.Warning), ("c1", AlertSeverity.Critical), ("e1", AlertSeverity.Error), ("c2", AlertSeverity.Critical), ("i2", AlertSeverity.Info) })
        {
            backlog.TryWrite(Alert(title, severity));
        }

        backlog.TryWrite(new WebhookMessage("slack", "plain text is Error", null, Now));

        Assert.Equal(["c1", "c2", "e1", "plain text is Error", "w1", "i1", "i2"], backlog.Take(10).Select(Name));
        Assert.Equal(0, backlog.Count);
    }

    [Theory]
    [InlineData("DropOldest", "i1")]
    [InlineData("DropNewest", "i2")]
    public void Full_MoreSevereMessage_EvictsOneOfTheLowestSeverity(string policy, string evicted)
    {
        var dropped = new List<WebhookMessage>();
        var backlog = new WebhookBacklog(3, Enum.Parse<WebhookDropPolicy>(policy), dropped.Add);
        backlog.TryWrite(Alert("i1", AlertSeverity.Info));
        backlog.TryWrite(Alert("e1", AlertSeverity.Error));
        backlog.TryWrite(Alert("i2", AlertSeverity.Info));

        backlog.TryWrite(Alert("c1", AlertSeverity.Critical));

        Assert.Equal([evicted], dropped.Select(Name));
        Assert.Equal(3, backlog.Count);
        Assert.Equal("c1", Name(backlog.Take(1).Single()));
    }

    [Theory]
    [InlineData("DropOldest")]
    [InlineData("DropNewest")]
    public void Full_LessSevereThanEverythingWaiting_IsTheOneDropped(string policy)
    {
        var dropped = new List<WebhookMessage>();
        var backlog = new WebhookBacklog(2, Enum.Parse<WebhookDropPolicy>(policy), dropped.Add);
        backlog.TryWrite(Alert("e1", AlertSeverity.Error));
        backlog.TryWrite(Alert("c1", AlertSeverity.Critical));

        backlog.TryWrite(Alert("i1", AlertSeverity.Info));

        Assert.Equal(["i1"], dropped.Select(Name));
        Assert.Equal(["c1", "e1"], backlog.Take(5).Select(Name));
    }

    [Fact]
    public void Full_StormOfInfo_NeverPushesOutACritical()
    {
        var dropped = 0;
        var backlog = new WebhookBacklog(5, WebhookDropPolicy.DropOldest, _ => dropped++);
        backlog.TryWrite(Alert("down", AlertSeverity.Critical));

        for (var i = 0; i < 1000; i++)
        {
            backlog.TryWrite(Alert($"scan {i}", AlertSeverity.Info));
        }

        Assert.Equal(996, dropped);
        Assert.Equal(["down", "scan 996", "scan 997", "scan 998", "scan 999"], backlog.Take(5).Select(Name));
    }

    [Fact]
    public async Task WaitToRead_WakesOnAWrite_AndEndsWhenCompletedAndEmpty()
    {
        var backlog = new WebhookBacklog(5, WebhookDropPolicy.DropOldest, _ => { });
        var waiting = backlog.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);

        backlog.TryWrite(Alert("a", AlertSeverity.Info));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));

        backlog.Complete();
        Assert.False(backlog.TryWrite(Alert("late", AlertSeverity.Critical)));
        Assert.True(await backlog.WaitToReadAsync(CancellationToken.None));
        Assert.Single(backlog.Take(5));
        Assert.False(await backlog.WaitToReadAsync(CancellationToken.None));
    }

    private static WebhookMessage Alert(string title, AlertSeverity severity) =>
        new("slack", null, new WebhookAlert(title) { Severity = severity }, Now);

    private static string Name(WebhookMessage message) => message.Alert?.Title ?? message.Text!;
}
