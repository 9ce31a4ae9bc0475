namespace Gateway.Scripting.Execution;

/// <summary>
/// One thread that looks, about every <see cref="Tick"/>, at every script run in hand (waiting for a script
/// thread or running on any thread) and lets each check its deadline: one poll for all runs instead of a timer
/// per run. Threads that run scripts each own a slot the watchdog reads; setting it costs one write. When
/// nothing has been in hand for a second the watchdog sleeps until something is.
/// </summary>
internal static class ScriptWatchdog
{
    /// <summary>How often the watchdog looks at the work in hand; deadlines are kept to within this.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    private const int IdleTicksBeforeSleep = 200;

    [ThreadStatic]
    private static Slot? t_slot;

    private static readonly object s_slotsGate = new();
    private static readonly List<Slot> s_slots = [];
    private static readonly object s_sleepGate = new();
    private static readonly List<(ScriptWork Work, Slot? Slot)> s_watched = [];
    private static int s_inHand;
    private static volatile bool s_asleep;

    static ScriptWatchdog()
    {
        new Thread(Watch) { IsBackground = true, Name = "Gateway transform watchdog" }.Start();
    }

    /// <summary>How many runs are queued or running.</summary>
    public static int InHand => Volatile.Read(ref s_inHand);

    /// <summary>The slot of the current thread, registered on first use.</summary>
    public static Slot SlotOfCurrentThread => t_slot ?? Register();

    /// <summary>Counts a run as in hand until <see cref="Release"/>; wakes the watchdog if it sleeps.</summary>
    public static void Hold()
    {
        Interlocked.Increment(ref s_inHand);

        // The increment is a full fence: either the watchdog sees it before it sleeps, or this sees it asleep.
        if (s_asleep)
        {
            lock (s_sleepGate)
            {
                Monitor.Pulse(s_sleepGate);
            }
        }
    }

    /// <summary>Counts a run as done.</summary>
    public static void Release() => Interlocked.Decrement(ref s_inHand);

    private static Slot Register()
    {
        var slot = new Slot(Thread.CurrentThread, ThreadCpuTime.ClockOfCurrentThread());
        lock (s_slotsGate)
        {
            // Pool threads come and go: drop the slots of those that have ended.
            s_slots.RemoveAll(static s => !s.Thread.IsAlive);
            s_slots.Add(slot);
        }

        return t_slot = slot;
    }

    private static void Watch()
    {
        var idleTicks = 0;
        while (true)
        {
            Thread.Sleep(Tick);
            if (InHand == 0)
            {
                if (++idleTicks >= IdleTicksBeforeSleep)
                {
                    Sleep();
                    idleTicks = 0;
                }

                continue;
            }

            idleTicks = 0;
            ScriptThreads.IfStarted?.CopyQueuedTo(s_watched);
            lock (s_slotsGate)
            {
                foreach (var slot in s_slots)
                {
                    if (slot.Current is { } running)
                    {
                        s_watched.Add((running, slot));
                    }
                }
            }

            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            foreach (var (work, slot) in s_watched)
            {
                try
                {
                    work.Watch(now, slot);
                }
#pragma warning disable CA1031 // The watchdog must outlive any one run's failure: an exception here would end the process.
                catch (Exception exception)
#pragma warning restore CA1031
                {
                    // Told to the work, which logs it with its runner's logger: a failure that goes nowhere hides a
                    // request the watchdog can no longer cut.
                    try
                    {
                        work.WatchFailed(exception);
                    }
#pragma warning disable CA1031 // Not even a failing log may end the watchdog.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                    }
                }
            }

            s_watched.Clear();
        }
    }

    private static void Sleep()
    {
        lock (s_sleepGate)
        {
            s_asleep = true;
            Interlocked.MemoryBarrier();
            while (InHand == 0)
            {
                Monitor.Wait(s_sleepGate);
            }

            s_asleep = false;
        }
    }

    /// <summary>What one thread is running, for the watchdog to read.</summary>
    internal sealed class Slot(Thread thread, int? cpuClock)
    {
        private ScriptWork? _current;

        public Thread Thread { get; } = thread;

        /// <summary>The clock of the thread's CPU time, where the platform has one.</summary>
        public int? CpuClock { get; } = cpuClock;

        /// <summary>The thread's CPU time now, where it can be read.</summary>
        public TimeSpan? CpuTime => CpuClock is { } clock ? ThreadCpuTime.Read(clock) : null;

        public ScriptWork? Current
        {
            get => Volatile.Read(ref _current);
            set => Volatile.Write(ref _current, value);
        }
    }
}
