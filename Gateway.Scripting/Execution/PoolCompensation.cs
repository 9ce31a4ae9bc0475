namespace Gateway.Scripting.Execution;

/// <summary>
/// Gives the thread pool another thread for each pool thread held by a transform stuck past its deadline in a
/// library call, until the call returns: otherwise the request the watchdog answered (and every other) waits for a
/// free pool thread, and on a machine with few cores the pool's own starvation detection adds only about one a
/// second. The pool's minimum is raised above the threads it has now, and what this instance added is taken back
/// when none of its stuck calls is left, disposed or not. (The pool is the process's: each instance takes
/// back only what it added, so that a change made by anyone else meanwhile stays.)
/// </summary>
internal sealed class PoolCompensation : IDisposable
{
    private readonly object _gate = new();
    private int _held;
    private int _added;
    private bool _disposed;

    /// <summary>How many pool threads this instance counts as held by stuck calls.</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>Counts one more pool thread held, and lets the pool start another at once.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            ThreadPool.GetMinThreads(out var workers, out var io);
            var raised = Math.Max(workers, ThreadPool.ThreadCount) + 1;
            if (ThreadPool.SetMinThreads(raised, io))
            {
                _added += raised - workers;
            }

            _held++;
        }
    }

    /// <summary>Counts a held pool thread released; with none left, what this instance added is taken back.</summary>
    public void Release()
    {
        lock (_gate)
        {
            if (_held == 0 || --_held > 0)
            {
                return;
            }

            GiveBack();
        }
    }

    /// <summary>
    /// Adds no more: what was added is taken back now if no stuck call is left, or else when the last one returns,
    /// since until then it still holds a pool thread.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            if (_held == 0)
            {
                GiveBack();
            }
        }
    }

    private void GiveBack()
    {
        if (_added == 0)
        {
            return;
        }

        // Take back what was added, not a snapshot: a change someone else made meanwhile stays.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(1, workers - _added), io);
        _added = 0;
    }
}
