namespace Gateway.Scripting.Execution;

/// <summary>
/// Dedicated threads, apart from the thread pool that serves requests, for the transforms that have once been
/// stuck past their deadline in a library call. Such a transform holds one of these, never a pool thread:
/// requests, timers and continuations keep flowing, and the <see cref="ScriptWatchdog"/> answers at the
/// deadline. Process-wide, a fixed number, background threads.
/// </summary>
internal sealed class ScriptThreads
{
    private static readonly Lazy<ScriptThreads> s_shared = new(() => new(Math.Max(4, Environment.ProcessorCount * 2)));

    /// <summary>The process's transform threads, started when first needed.</summary>
    public static ScriptThreads Shared => s_shared.Value;

    /// <summary>The process's transform threads if they have been started; none are until a transform is isolated.</summary>
    public static ScriptThreads? IfStarted => s_shared.IsValueCreated ? s_shared.Value : null;

    // A plain queue under a lock, waited on with Monitor.Wait: idle threads sleep rather than spin, which
    // BlockingCollection's semaphore does, taking CPU from the requests on a busy machine.
    private readonly Queue<ScriptWork> _queue = new();
    private readonly object _gate = new();

    private ScriptThreads(int count)
    {
        Count = count;
        for (var i = 0; i < count; i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"Gateway transform {i + 1}" }.Start();
        }
    }

    /// <summary>How many threads there are.</summary>
    public int Count { get; }

    /// <summary>Queues <paramref name="work"/> for the next free script thread.</summary>
    public void Queue(ScriptWork work)
    {
        lock (_gate)
        {
            _queue.Enqueue(work);
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>
    /// Adds the work waiting for a thread to <paramref name="list"/>, and drops from the queue what was given up
    /// meanwhile, so that runs abandoned while the threads are held do not pile up.
    /// </summary>
    public void CopyQueuedTo(List<(ScriptWork Work, ScriptWatchdog.Slot? Slot)> list)
    {
        lock (_gate)
        {
            var count = _queue.Count;
            for (var i = 0; i < count; i++)
            {
                var work = _queue.Dequeue();
                if (work.IsSettled)
                {
                    ScriptWatchdog.Release();
                    continue;
                }

                _queue.Enqueue(work);
                list.Add((work, null));
            }
        }
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
                    Monitor.Wait(_gate);
                }

                work = _queue.Dequeue();
            }

            work.Execute();
        }
    }
}
