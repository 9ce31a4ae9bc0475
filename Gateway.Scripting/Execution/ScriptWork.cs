using System.Diagnostics;

namespace Gateway.Scripting.Execution;

/// <summary>
/// Work that runs a script: run once, on a thread-pool thread or a <see cref="ScriptThreads"/> thread, and
/// watched by its <see cref="ScriptWatchdog"/> from the moment it is queued until it ends, so that it can be
/// answered without when it waits or runs too long.
/// </summary>
/// <param name="watchdog">The watchdog that holds the work while it is in hand.</param>
internal abstract class ScriptWork(ScriptWatchdog watchdog) : IThreadPoolWorkItem
{
    // The request's activity, so its trace id: pool and script threads alike run the work, and log its failures,
    // as part of the request. (Only the activity: the whole ExecutionContext would carry the caller's ambient
    // state onto a thread that may be held by a stuck call.)
    private readonly Activity? _activity = Activity.Current;

    /// <summary>When the work was queued, in timestamps of the watchdog's clock.</summary>
    public long QueuedAt { get; set; }

    /// <summary>Whether the work has run or been given up: a queued one that is settled need not run at all.</summary>
    public abstract bool IsSettled { get; }

    /// <summary>The thread running the work, once it runs.</summary>
    protected Thread? RunningThread { get; private set; }

    /// <summary>The clock of the running thread's CPU time, where the platform has one.</summary>
    protected int? CpuClock { get; private set; }

    // The watchdog's list of the runs in hand runs through the runs themselves; guarded by the watchdog's lock.
    internal ScriptWork? WatchPrevious { get; set; }

    internal ScriptWork? WatchNext { get; set; }

    internal bool IsWatched { get; set; }

    /// <summary>Runs the work on the current thread, as part of the request it was made for, watched. Does not throw.</summary>
    public void Execute()
    {
        InContext(static work => work.ExecuteHere());

        // Out of the watchdog's hands and back in the thread's own context: what the work hands on from here (the
        // request's continuation) may run on this thread.
        Finished();
    }

    /// <summary>Runs <paramref name="action"/> with the request's activity as the current one.</summary>
    protected void InContext(Action<ScriptWork> action)
    {
        var previous = Activity.Current;
        Activity.Current = _activity;
        try
        {
            action(this);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private void ExecuteHere()
    {
        RunningThread = Thread.CurrentThread;
        CpuClock = ThreadCpuTime.ClockOfCurrentThread();
        try
        {
            Run();
        }
        finally
        {
            watchdog.Release(this);
        }
    }

    /// <summary>The work itself. Must not throw.</summary>
    protected abstract void Run();

    /// <summary>Called on the running thread after <see cref="Run"/>, once the watchdog has let the work go. Must not throw.</summary>
    protected virtual void Finished()
    {
    }

    /// <summary>Called by the watchdog, about every watch interval, while the work is in hand.</summary>
    /// <param name="now">The current timestamp of the watchdog's clock.</param>
    /// <returns>Whether the watchdog should go on watching it: not once it has ended or been given up.</returns>
    public abstract bool Watch(long now);

    /// <summary>Called when <see cref="Watch"/> threw: the work reports it where its runner logs.</summary>
    /// <param name="exception">What <see cref="Watch"/> threw.</param>
    public abstract void WatchFailed(Exception exception);
}
