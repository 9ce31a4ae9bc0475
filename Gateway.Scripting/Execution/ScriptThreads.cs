using System.Collections.Concurrent;

namespace Gateway.Scripting.Execution;

/// <summary>
/// Dedicated threads that transforms run on, apart from the thread pool that serves requests. A transform stuck
/// in a long library call holds one of these, never a pool thread: requests, timers and continuations keep
/// flowing, and the runner can answer at the deadline. Process-wide, a fixed number, background threads.
/// </summary>
internal sealed class ScriptThreads : TaskScheduler
{
    public static readonly ScriptThreads Shared = new(Math.Max(4, Environment.ProcessorCount * 2));

    private readonly BlockingCollection<Task> _queue = [];
    private int _idle;

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

    /// <summary>How many are waiting for work.</summary>
    public int Idle => Volatile.Read(ref _idle);

    public override int MaximumConcurrencyLevel => Count;

    protected override void QueueTask(Task task) => _queue.Add(task);

    // Never on the caller's thread: that is a request's thread.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks() => [.. _queue];

    private void Work()
    {
        while (true)
        {
            Interlocked.Increment(ref _idle);
            var task = _queue.Take();
            Interlocked.Decrement(ref _idle);
            TryExecuteTask(task);
        }
    }
}
