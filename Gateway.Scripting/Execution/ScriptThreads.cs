namespace Gateway.Scripting.Execution;

/// <summary>
/// Dedicated threads that transforms run on, apart from the thread pool that serves requests. A transform stuck
/// in a long library call holds one of these, never a pool thread: requests, timers and continuations keep
/// flowing, and the runner can answer at the deadline. Process-wide, a fixed number, background threads.
/// </summary>
internal sealed class ScriptThreads : TaskScheduler
{
    public static readonly ScriptThreads Shared = new(Math.Max(4, Environment.ProcessorCount * 2));

    // A plain queue under a lock, waited on with Monitor.Wait: idle threads sleep rather than spin, which
    // BlockingCollection's semaphore does, taking CPU from the requests on a busy machine.
    private readonly Queue<Task> _queue = new();
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

    public override int MaximumConcurrencyLevel => Count;

    protected override void QueueTask(Task task)
    {
        lock (_gate)
        {
            _queue.Enqueue(task);
            Monitor.Pulse(_gate);
        }
    }

    // Never on the caller's thread: that is a request's thread.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_gate)
        {
            return [.. _queue];
        }
    }

    private void Work()
    {
        while (true)
        {
            Task task;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    Monitor.Wait(_gate);
                }

                task = _queue.Dequeue();
            }

            TryExecuteTask(task);
        }
    }
}
