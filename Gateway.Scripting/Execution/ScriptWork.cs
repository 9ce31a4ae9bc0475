using System.Diagnostics;

namespace Gateway.Scripting.Execution;

/// <summary>
/// Work that runs a script: run once, on a thread-pool thread or a <see cref="ScriptThreads"/> thread, and
/// watched by the <see cref="ScriptWatchdog"/> while it waits for a script thread or runs, so that it can be
/// answered without when it overruns.
/// </summary>
internal abstract class ScriptWork : IThreadPoolWorkItem
{
    /// <summary>When the work was queued, in <see cref="Stopwatch"/> ticks.</summary>
    public long QueuedAt { get; set; }

    /// <summary>Runs the work on the current thread, watched. Must not throw.</summary>
    public void Execute()
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
}
