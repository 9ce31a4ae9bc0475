using System.Diagnostics;

namespace Gateway.Scripting.Execution;

/// <summary>
/// Work that runs a script: run once, on a thread-pool thread or a <see cref="ScriptThreads"/> thread, and
/// watched by the <see cref="ScriptWatchdog"/> while it waits for a script thread or runs, so that it can be
/// answered without when it overruns.
/// </summary>
internal abstract class ScriptWork : IThreadPoolWorkItem
{
    // The request's activity, so its trace id: pool and script threads alike run the work, and log its failures,
    // as part of the request. (Only the activity: the whole ExecutionContext would carry the caller's ambient
    // state onto a thread that may be held by a stuck call.)
    private readonly Activity? _activity = Activity.Current;

    /// <summary>When the work was queued, in <see cref="Stopwatch"/> ticks.</summary>
    public long QueuedAt { get; set; }

    /// <summary>Whether the work has run or been given up: a queued one that is settled need not run at all.</summary>
    public abstract bool IsSettled { get; }

    /// <summary>Runs the work on the current thread, as part of the request it was made for, watched. Does not throw.</summary>
    public void Execute() => InContext(static work => work.ExecuteHere());

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
        var slot = ScriptWatchdog.SlotOfCurrentThread;
        slot.Current = this;
        try
        {
            Run();
        }
        finally
        {
            slot.Current = null;
            ScriptWatchdog.Release();
        }
    }

    /// <summary>The work itself. Must not throw.</summary>
    protected abstract void Run();

    /// <summary>Called by the watchdog, about every <see cref="ScriptWatchdog.Tick"/>, while the work is queued or running.</summary>
    /// <param name="now">The current <see cref="Stopwatch"/> timestamp.</param>
    /// <param name="slot">The slot of the thread running the work; <see langword="null"/> while it is queued.</param>
    public abstract void Watch(long now, ScriptWatchdog.Slot? slot);

    /// <summary>Called when <see cref="Watch"/> threw: the work reports it where its runner logs.</summary>
    /// <param name="exception">What <see cref="Watch"/> threw.</param>
    public abstract void WatchFailed(Exception exception);
}
