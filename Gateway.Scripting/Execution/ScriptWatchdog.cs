namespace Gateway.Scripting.Execution;

/// <summary>
/// Looks, about every watch interval, at every script run in hand (queued on the thread pool, waiting for a
/// dedicated thread, or running) and lets each check its deadline: one poll for all runs instead of a timer per
/// run. A run is in hand from <see cref="Hold"/>, when it is queued, until it ends or gives itself up; the runs in
/// hand are a list linked through the runs themselves, so holding and releasing one allocates nothing.
/// </summary>
/// <remarks>
/// Deadlines are read from the injected <see cref="TimeProvider"/>; the pace of the looks is real time, kept by a
/// thread of the watchdog's own rather than a timer, so that a thread pool starved by stuck calls cannot stop it.
/// The thread starts with the first run in hand and ends when nothing has been in hand for a while, or on
/// <see cref="Dispose"/>.
/// </remarks>
internal sealed class ScriptWatchdog : IDisposable
{
    private const int IdleLooksBeforeEnd = 200;

    private readonly TimeSpan _interval;
    private readonly object _gate = new();
    private readonly object _lookGate = new();
    private readonly List<ScriptWork> _looking = [];
    private ScriptWork? _first;
    private int _inHand;
    private bool _watching;
    private bool _disposed;

    /// <summary>Creates a watchdog; its thread starts with the first run in hand.</summary>
    /// <param name="interval">How often it looks at the runs in hand.</param>
    /// <param name="time">The clock deadlines are read from.</param>
    public ScriptWatchdog(TimeSpan interval, TimeProvider time)
    {
        _interval = interval;
        Time = time;
    }

    /// <summary>The clock deadlines are read from.</summary>
    public TimeProvider Time { get; }

    /// <summary>How many runs are in hand.</summary>
    public int InHand
    {
        get
        {
            lock (_gate)
            {
                return _inHand;
            }
        }
    }

    /// <summary>Whether the watchdog's thread runs: from the first run held until it has been idle a while, or disposed.</summary>
    public bool IsWatching
    {
        get
        {
            lock (_gate)
            {
                return _watching;
            }
        }
    }

    /// <summary>Counts <paramref name="work"/> as in hand, watched from now until it is released; starts the watchdog's thread if it is not running.</summary>
    /// <param name="work">A run about to be queued.</param>
    public void Hold(ScriptWork work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            work.WatchNext = _first;
            work.WatchPrevious = null;
            if (_first is not null)
            {
                _first.WatchPrevious = work;
            }

            _first = work;
            work.IsWatched = true;
            _inHand++;
            if (!_watching)
            {
                _watching = true;
                new Thread(Watch) { IsBackground = true, Name = "Gateway transform watchdog" }.Start();
            }
        }
    }

    /// <summary>Stops watching <paramref name="work"/>; does nothing if it is not watched.</summary>
    /// <param name="work">A run that has ended or given itself up.</param>
    public void Release(ScriptWork work)
    {
        lock (_gate)
        {
            if (!work.IsWatched)
            {
                return;
            }

            if (work.WatchPrevious is { } previous)
            {
                previous.WatchNext = work.WatchNext;
            }
            else
            {
                _first = work.WatchNext;
            }

            if (work.WatchNext is { } next)
            {
                next.WatchPrevious = work.WatchPrevious;
            }

            work.WatchNext = work.WatchPrevious = null;
            work.IsWatched = false;
            _inHand--;
        }
    }

    /// <summary>
    /// Looks once at every run in hand, now by <see cref="Time"/>: the watchdog's thread calls it every interval;
    /// a test with a fake clock calls it to decide exactly when the watchdog looks.
    /// </summary>
    public void Look()
    {
        lock (_lookGate)
        {
            lock (_gate)
            {
                for (var work = _first; work is not null; work = work.WatchNext)
                {
                    _looking.Add(work);
                }
            }

            var now = Time.GetTimestamp();
            foreach (var work in _looking)
            {
                try
                {
                    if (!work.Watch(now))
                    {
                        Release(work);
                    }
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

            _looking.Clear();
        }
    }

    /// <summary>Ends the watchdog's thread at its next look; runs still in hand are no longer watched.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
    }

    private void Watch()
    {
        var idleLooks = 0;
        while (true)
        {
            Thread.Sleep(_interval);
            lock (_gate)
            {
                if (_disposed || (_inHand == 0 && ++idleLooks >= IdleLooksBeforeEnd))
                {
                    _watching = false;
                    return;
                }

                if (_inHand == 0)
                {
                    continue;
                }
            }

            idleLooks = 0;
            Look();
        }
    }
}
