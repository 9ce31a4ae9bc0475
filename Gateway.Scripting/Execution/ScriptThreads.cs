using System.Diagnostics;

namespace Gateway.Scripting.Execution;

/// <summary>
/// Work handed to <see cref="ScriptThreads"/>: run once on a script thread, and watched while it is queued or
/// running so that it can be answered without when it overruns.
/// </summary>
internal abstract class ScriptWork
{
    /// <summary>When the work was queued, in <see cref="Stopwatch"/> ticks.</summary>
    public long QueuedAt { get; set; }

    /// <summary>Runs the work, on a script thread. Must not throw.</summary>
    public abstract void Execute();

    /// <summary>Called by the watchdog, about every <see cref="ScriptThreads.Tick"/>, while the work is queued or running.</summary>
    /// <param name="now">The current <see cref="Stopwatch"/> timestamp.</param>
    public abstract void Watch(long now);
}

/// <summary>
/// Dedicated threads that transforms run on, apart from the thread pool that serves requests, and one watchdog.
/// A transform stuck in a long library call holds one of these, never a pool thread: requests, timers and
/// continuations keep flowing, and the watchdog answers the request at the deadline. One watchdog polling the
/// work in hand replaces a timer per run. Process-wide, a fixed number, background threads.
/// </summary>
internal sealed class ScriptThreads
{
    /// <summary>How often the watchdog looks at the work in hand; deadlines are kept to within this.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    public static readonly ScriptThreads Shared = new(Math.Max(4, Environment.ProcessorCount * 2));

    // After this many ticks with nothing in hand the watchdog sleeps until work arrives.
    private const int IdleTicksBeforeSleep = 200;

    // A plain queue under a lock, waited on with Monitor.Wait: idle threads sleep rather than spin, which
    // BlockingCollection's semaphore does, taking CPU from the requests on a busy machine.
    private readonly Queue<ScriptWork> _queue = new();
    private readonly object _gate = new();
    private readonly ScriptWork?[] _running;
    private readonly object _watchGate = new();
    private readonly List<ScriptWork> _watched = [];
    private int _inHand; // queued + running
    private volatile bool _watchdogAsleep;

    private ScriptThreads(int count)
    {
        _running = new ScriptWork?[count];
        for (var i = 0; i < count; i++)
        {
            var slot = i;
            new Thread(() => Work(slot)) { IsBackground = true, Name = $"Gateway transform {i + 1}" }.Start();
        }

        new Thread(Watchdog) { IsBackground = true, Name = "Gateway transform watchdog" }.Start();
    }

    /// <summary>How many threads run transforms.</summary>
    public int Count => _running.Length;

    /// <summary>How much work is queued or running.</summary>
    public int InHand => Volatile.Read(ref _inHand);

    /// <summary>Queues <paramref name="work"/> for the next free script thread.</summary>
    public void Queue(ScriptWork work)
    {
        work.QueuedAt = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _inHand);
        lock (_gate)
        {
            _queue.Enqueue(work);
            Monitor.Pulse(_gate);
        }

        // The increment above is a full fence: either the watchdog sees it before it sleeps, or this sees it asleep.
        if (_watchdogAsleep)
        {
            lock (_watchGate)
            {
                Monitor.Pulse(_watchGate);
            }
        }
    }

    private void Work(int slot)
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

            Volatile.Write(ref _running[slot], work);
            try
            {
                work.Execute();
            }
            finally
            {
                Volatile.Write(ref _running[slot], null);
                Interlocked.Decrement(ref _inHand);
            }
        }
    }

    private void Watchdog()
    {
        var idleTicks = 0;
        while (true)
        {
            Thread.Sleep(Tick);
            if (Volatile.Read(ref _inHand) == 0)
            {
                if (++idleTicks >= IdleTicksBeforeSleep)
                {
                    Sleep();
                    idleTicks = 0;
                }

                continue;
            }

            idleTicks = 0;
            lock (_gate)
            {
                _watched.AddRange(_queue);
            }

            for (var slot = 0; slot < _running.Length; slot++)
            {
                if (Volatile.Read(ref _running[slot]) is { } running)
                {
                    _watched.Add(running);
                }
            }

            var now = Stopwatch.GetTimestamp();
            foreach (var work in _watched)
            {
                work.Watch(now);
            }

            _watched.Clear();
        }
    }

    private void Sleep()
    {
        lock (_watchGate)
        {
            _watchdogAsleep = true;
            Interlocked.MemoryBarrier();
            while (Volatile.Read(ref _inHand) == 0)
            {
                Monitor.Wait(_watchGate);
            }

            _watchdogAsleep = false;
        }
    }
}
