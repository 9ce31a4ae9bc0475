namespace Gateway.Scripting.Execution;

/// <summary>
/// Gives the thread pool another thread for each pool thread held by a transform stuck past its deadline in a
/// library call, until the call returns: otherwise the request the watchdog answered (and every other) waits for a
/// free pool thread, and on a machine with few cores the pool's own starvation detection adds only about one a
/// second. The pool's minimum is raised above the threads it has now, and put back when no stuck call is left.
/// </summary>
internal static class PoolCompensation
{
    private static readonly object s_gate = new();
    private static int s_held;
    private static int s_added;

    /// <summary>Counts one more pool thread held, and lets the pool start another at once.</summary>
    public static void Hold()
    {
        lock (s_gate)
        {
            ThreadPool.GetMinThreads(out var workers, out var io);
            var raised = Math.Max(workers, ThreadPool.ThreadCount) + 1;
            if (ThreadPool.SetMinThreads(raised, io))
            {
                s_added += raised - workers;
            }

            s_held++;
        }
    }

    /// <summary>Counts a held pool thread released; with none left, the pool's minimum is put back.</summary>
    public static void Release()
    {
        lock (s_gate)
        {
            if (s_held == 0 || --s_held > 0)
            {
                return;
            }

            // Take back what was added, not a snapshot: a change someone else made meanwhile stays.
            ThreadPool.GetMinThreads(out var workers, out var io);
            ThreadPool.SetMinThreads(Math.Max(1, workers - s_added), io);
            s_added = 0;
        }
    }
}
