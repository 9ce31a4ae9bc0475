namespace Gateway.Scripting.Execution;

/// <summary>
/// Dedicated threads, apart from the thread pool that serves requests, for the transforms that have once been
/// stuck past their deadline in a library call. Such a transform holds one of these, never a pool thread:
/// requests, timers and continuations keep flowing, and the <see cref="ScriptWatchdog"/> answers at the
/// deadline. A fixed number of background threads, started when first needed, ended by <see cref="Dispose"/>
/// (each once the call it is in returns and the queue is empty).
/// </summary>
internal sealed class ScriptThreads : IDisposable
{
    private const int PruneAtLeast = 64;

    // A plain queue under a lock, waited on with Monitor.Wait: idle threads sleep rather than spin, which
    // BlockingCollection's semaphore does, taking CPU from the requests on a busy machine.
    private readonly Queue<ScriptWork> _queue = new();
    private readonly object _gate = new();
    private int _pruneAt = PruneAtLeast;
    private bool _started;
    private bool _disposed;

    /// <summary>Creates the threads' queue; the threads start with the first work queued.</summary>
    /// <param name="count">How many threads there are.</param>
    public ScriptThreads(int count) => Count = count;

    /// <summary>How many threads there are.</summary>
    public int Count { get; }

    /// <summary>How many works wait for a thread, given up ones included until they are pruned.</summary>
    public int Queued
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues <paramref name="work"/> for the next free thread.</summary>
    /// <param name="work">A run, held by the watchdog.</param>
    public void Queue(ScriptWork work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_started)
            {
                _started = true;
                for (var i = 0; i < Count; i++)
                {
                    new Thread(Work) { IsBackground = true, Name = $"Gateway transform {i + 1}" }.Start();
                }
            }

            if (_queue.Count >= _pruneAt)
            {
                Prune();
            }

            _queue.Enqueue(work);
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Lets each thread end once the queue is empty and its call has returned.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Drops from the queue what the watchdog gave up meanwhile, so that runs abandoned while every thread is held
    /// do not pile up; runs next when the queue has doubled, so that its cost stays constant per work queued.
    /// </summary>
    private void Prune()
    {
        var count = _queue.Count;
        for (var i = 0; i < count; i++)
        {
            var work = _queue.Dequeue();
            if (!work.IsSettled)
            {
                _queue.Enqueue(work);
            }
        }

        _pruneAt = Math.Max(PruneAtLeast, _queue.Count * 2);
    }

    private void Work()
    {
        while (true)
        {
            ScriptWork work;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    Monitor.Wait(_gate);
                }

                work = _queue.Dequeue();
            }

            work.Execute();
        }
    }
}
