namespace Gateway.Scripting.Execution;

/// <summary>
/// The threads that run and watch transforms in one process: the <see cref="ScriptWatchdog"/>, the dedicated
/// <see cref="ScriptThreads"/> for transforms once stuck in a library call, and the <see cref="PoolCompensation"/>
/// for thread-pool threads such a call holds. One per process, owned by whoever made it (the DI container in the
/// gateway, the transform host's entry point, each run of the testing API): disposing it stops its threads, once
/// the calls they are in return, and gives the thread pool back what was added. Threads start when first needed
/// and the watchdog's ends when nothing has been in hand for a while, so that an idle instance costs nothing.
/// </summary>
public sealed class ScriptExecution : IDisposable
{
    /// <summary>Creates the execution services.</summary>
    /// <param name="options">How often to watch and how many dedicated threads; <see langword="null"/> for the defaults.</param>
    /// <param name="time">The clock deadlines are measured with; <see langword="null"/> for the system clock.</param>
    public ScriptExecution(ScriptExecutionOptions? options = null, TimeProvider? time = null)
    {
        options ??= new ScriptExecutionOptions();
        options.Validate();
        Time = time ?? TimeProvider.System;
        Watchdog = new ScriptWatchdog(options.WatchInterval, Time);
        Threads = new ScriptThreads(options.DedicatedThreads);
        Compensation = new PoolCompensation();
    }

    /// <summary>The clock deadlines are measured with.</summary>
    internal TimeProvider Time { get; }

    internal ScriptWatchdog Watchdog { get; }

    internal ScriptThreads Threads { get; }

    internal PoolCompensation Compensation { get; }

    /// <summary>Stops the threads (each once its call returns) and gives the thread pool back what was added.</summary>
    public void Dispose()
    {
        Watchdog.Dispose();
        Threads.Dispose();
        Compensation.Dispose();
    }
}
