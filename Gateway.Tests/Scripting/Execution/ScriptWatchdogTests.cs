using Gateway.Scripting.Execution;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Scripting.Execution;

/// <summary>The watchdog as an ordinary object: each test has its own, on a fake clock where it matters.</summary>
public sealed class ScriptWatchdogTests
{
    [Fact]
    public void Look_WorkHeldButNotYetRunning_IsWatched()
    {
        // A run is in hand from the moment it is queued: one that waits on the thread pool is seen as well.
        using var watchdog = new ScriptWatchdog(TimeSpan.FromHours(1), new FakeTimeProvider());
        using var queued = new HeldThread(watchdog);

        watchdog.Hold(queued);
        watchdog.Look();

        Assert.Equal(1, watchdog.InHand);
        Assert.True(queued.Looks >= 1);
    }

    [Fact]
    public void Release_EndedWork_IsNoLongerWatched()
    {
        using var watchdog = new ScriptWatchdog(TimeSpan.FromHours(1), new FakeTimeProvider());
        using var first = new HeldThread(watchdog);
        using var second = new HeldThread(watchdog);
        using var third = new HeldThread(watchdog);
        watchdog.Hold(first);
        watchdog.Hold(second);
        watchdog.Hold(third);

        watchdog.Release(second);
        watchdog.Release(second);
        watchdog.Look();

        Assert.Equal(2, watchdog.InHand);
        Assert.Equal(0, second.Looks);
        Assert.Equal(1, first.Looks);
        Assert.Equal(1, third.Looks);
    }

    [Fact]
    public void Execute_WorkThatRan_IsReleasedByItself()
    {
        using var watchdog = new ScriptWatchdog(TimeSpan.FromHours(1), new FakeTimeProvider());
        using var work = new HeldThread(watchdog);
        watchdog.Hold(work);
        work.Release.Set();

        work.Execute();

        Assert.Equal(0, watchdog.InHand);
    }

    [Fact]
    public async Task Dispose_EndsTheWatchdogsThread()
    {
        var watchdog = new ScriptWatchdog(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        using var work = new HeldThread(watchdog);
        watchdog.Hold(work);
        Assert.True(watchdog.IsWatching);

        watchdog.Dispose();

        var waited = 0;
        while (watchdog.IsWatching && waited++ < 3000)
        {
            await Task.Delay(10);
        }

        Assert.False(watchdog.IsWatching, "the watchdog's thread still ran 30 s after its disposal");
        Assert.Throws<ObjectDisposedException>(() => watchdog.Hold(work));
    }

    [Fact]
    public async Task Watch_NothingInHandForAWhile_TheThreadEndsAndStartsAgainWhenNeeded()
    {
        using var watchdog = new ScriptWatchdog(TimeSpan.FromMilliseconds(1), TimeProvider.System);
        using var first = new HeldThread(watchdog);
        watchdog.Hold(first);
        watchdog.Release(first);

        var waited = 0;
        while (watchdog.IsWatching && waited++ < 3000)
        {
            await Task.Delay(10);
        }

        Assert.False(watchdog.IsWatching, "an idle watchdog keeps a thread");

        using var second = new HeldThread(watchdog);
        watchdog.Hold(second);
        Assert.True(watchdog.IsWatching);
        waited = 0;
        while (second.Looks == 0 && waited++ < 3000)
        {
            await Task.Delay(10);
        }

        Assert.True(second.Looks > 0, "the restarted watchdog looks at the work in hand");
    }
}
