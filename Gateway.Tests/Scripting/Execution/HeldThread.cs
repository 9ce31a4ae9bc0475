using Gateway.Scripting.Execution;

namespace Gateway.Tests.Scripting.Execution;

/// <summary>
/// Work that holds the thread running it until the test lets go: a thread held by a stuck call, without burning
/// CPU or depending on how long a real call takes. Watched, it never overruns.
/// </summary>
internal sealed class HeldThread(ScriptWatchdog watchdog) : ScriptWork(watchdog), IDisposable
{
    private int _looks;

    /// <summary>Set when a thread has picked the work up.</summary>
    public ManualResetEventSlim Started { get; } = new();

    /// <summary>Set by the test to let the thread go.</summary>
    public ManualResetEventSlim Release { get; } = new();

    /// <summary>How often the watchdog has looked at it.</summary>
    public int Looks => Volatile.Read(ref _looks);

    public override bool IsSettled => false;

    public override bool Watch(long now)
    {
        Interlocked.Increment(ref _looks);
        return true;
    }

    public override void WatchFailed(Exception exception)
    {
    }

    public void Dispose()
    {
        Started.Dispose();
        Release.Dispose();
    }

    protected override void Run()
    {
        Started.Set();
        Release.Wait(TimeSpan.FromMinutes(2));
    }
}
