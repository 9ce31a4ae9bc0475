using Gateway.Webhooks;

namespace Gateway.Tests.Webhooks;

public sealed class StormFolderTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    [Fact]
    public void Admit_FirstOfAKind_IsSentAndTheRestFolded()
    {
        var folder = new StormFolder(Window);

        var decisions = Enumerable.Range(0, 38).Select(i => folder.Admit("k", Message("boom"), Start.AddSeconds(i)));

        Assert.Equal([FoldDecision.Send, .. Enumerable.Repeat(FoldDecision.Folded, 37)], decisions);
    }

    [Fact]
    public void Expire_AfterTheWindow_ReturnsOneFollowUpWithTheExactCount()
    {
        var folder = new StormFolder(Window);
        for (var i = 0; i < 38; i++)
        {
            folder.Admit("k", Message("boom"), Start.AddSeconds(i));
        }

        Assert.Empty(folder.Expire(Start.AddSeconds(59)));
        var followUp = Assert.Single(folder.Expire(Start.AddSeconds(60)));

        Assert.Equal(37, followUp.FoldedCount);
        Assert.Equal("37 more like this between 12:00:01 and 12:00:37 UTC", followUp.FoldedSummary);
        Assert.Equal("boom", followUp.Text);
    }

    [Fact]
    public void Expire_WhileTheStormGoesOn_CountsEveryMessageInExactlyOneFollowUp()
    {
        var folder = new StormFolder(Window);
        var sent = 0;
        var folded = 0;

        // One message a second for five minutes, expiring every second as the gateway's tick does.
        for (var second = 0; second < 300; second++)
        {
            var now = Start.AddSeconds(second);
            folded += folder.Expire(now).Sum(f => f.FoldedCount);
            sent += folder.Admit("k", Message("boom"), now) == FoldDecision.Send ? 1 : 0;
        }

        folded += folder.Close(Start.AddSeconds(300)).Sum(f => f.FoldedCount);
        Assert.Equal(1, sent);
        Assert.Equal(299, folded);
    }

    [Fact]
    public void Expire_QuietWindow_IsForgottenAndTheNextMessageIsSentAtOnce()
    {
        var folder = new StormFolder(Window);
        folder.Admit("k", Message("boom"), Start);

        Assert.Empty(folder.Expire(Start.AddSeconds(60)));
        Assert.Equal(0, folder.OpenWindows);
        Assert.Equal(FoldDecision.Send, folder.Admit("k", Message("boom"), Start.AddSeconds(61)));
    }

    [Fact]
    public void Admit_PastTheWindowBeforeItExpires_JoinsTheFollowUpThatIsDue()
    {
        var folder = new StormFolder(Window);
        folder.Admit("k", Message("boom"), Start);
        folder.Admit("k", Message("boom"), Start.AddSeconds(30));

        Assert.Equal(FoldDecision.Folded, folder.Admit("k", Message("boom"), Start.AddSeconds(60.5)));
        Assert.Equal(2, Assert.Single(folder.Expire(Start.AddSeconds(61))).FoldedCount);
    }

    [Fact]
    public void Admit_PastAQuietWindowBeforeItExpires_StartsANewStorm()
    {
        var folder = new StormFolder(Window);
        folder.Admit("k", Message("boom"), Start);

        Assert.Equal(FoldDecision.Send, folder.Admit("k", Message("boom"), Start.AddSeconds(61)));
        Assert.Equal(FoldDecision.Folded, folder.Admit("k", Message("boom"), Start.AddSeconds(62)));
    }

    [Fact]
    public void Admit_DifferentKeys_AreNotFolded()
    {
        var folder = new StormFolder(Window);

        Assert.Equal(FoldDecision.Send, folder.Admit("a", Message("a"), Start));
        Assert.Equal(FoldDecision.Send, folder.Admit("b", Message("b"), Start));
        Assert.Equal(FoldDecision.Folded, folder.Admit("a", Message("a"), Start));
    }

    [Fact]
    public void Admit_ZeroWindow_NeverFolds()
    {
        var folder = new StormFolder(TimeSpan.Zero);

        Assert.All(Enumerable.Range(0, 10), _ => Assert.Equal(FoldDecision.Send, folder.Admit("k", Message("boom"), Start)));
        Assert.Empty(folder.Close(Start));
    }

    [Fact]
    public void Close_ReturnsFollowUpsForOpenWindowsAndRefusesMore()
    {
        var folder = new StormFolder(Window);
        for (var i = 0; i < 10; i++)
        {
            folder.Admit("a", Message("a"), Start.AddSeconds(i));
        }

        folder.Admit("b", Message("b"), Start);

        var followUp = Assert.Single(folder.Close(Start.AddSeconds(12.5)));
        Assert.Equal(9, followUp.FoldedCount);
        Assert.Equal("9 more like this between 12:00:01 and 12:00:09 UTC", followUp.FoldedSummary);
        Assert.Equal(FoldDecision.Closed, folder.Admit("a", Message("a"), Start.AddSeconds(13)));
    }

    [Fact]
    public void Admit_PastTheKeyLimit_SendsNewKeysUnfolded()
    {
        var folder = new StormFolder(Window);
        for (var i = 0; i < StormFolder.MaxKeys; i++)
        {
            folder.Admit($"k{i}", Message("x"), Start);
        }

        Assert.Equal(FoldDecision.Send, folder.Admit("one more", Message("x"), Start));
        Assert.Equal(FoldDecision.Send, folder.Admit("one more", Message("x"), Start));
        Assert.Equal(StormFolder.MaxKeys, folder.OpenWindows);
    }

    private static WebhookMessage Message(string text) => new("slack", text, null, Start);
}
