using Gateway.Scripting.Isolation;

namespace Gateway.TransformHost;

/// <summary>
/// The threads that read the gateway's frames, one at a time (leader and followers): the reader runs each frame it
/// reads itself, a call's chain and its reply included, so that a call wakes no other thread. When one call has kept
/// the reader away from the channel since the watcher's last look (a chain stuck in a library call, or merely slow),
/// the reading passes to another thread, a follower woken or a new one, and the stuck thread becomes a follower once
/// it is free: the channel is never left unread behind one call. Loads and unloads are done in order, before the next
/// frame is read. Looks come about every <see cref="LookInterval"/> while the reader runs calls; a watcher with
/// nothing to look at waits until the reader starts on one.
/// </summary>
internal sealed class ChannelReaders : IDisposable
{
    /// <summary>How often the watcher looks at the reader: a frame that keeps it longer than this hands the reading on.</summary>
    public static readonly TimeSpan LookInterval = TimeSpan.FromMilliseconds(5);

    // Looks with the reader waiting for frames before the watcher waits too, until the next frame.
    private const int IdleLooksBeforeWait = 200;

    private readonly HostChannel _channel;
    private readonly Action<object> _run;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _reader;
    private long _frames;
    private long _busyWith; // the number of the frame the reader runs; 0 while it reads
    private bool _watcherWaits;
    private int _promoted;
    private int _followers;
    private int _threads;
    private bool _stopped;

    /// <summary>Creates the readers; none runs before <see cref="RunAsync"/>.</summary>
    /// <param name="channel">The channel read.</param>
    /// <param name="run">Runs one frame on the reading thread; must not throw.</param>
    public ChannelReaders(HostChannel channel, Action<object> run)
    {
        _channel = channel;
        _run = run;
    }

    /// <summary>Starts the first reader and the watcher; completes at the end of the channel, faulted if a read failed.</summary>
    public Task RunAsync()
    {
        lock (_gate)
        {
            StartReader();
        }

        new Thread(Watch) { IsBackground = true, Name = "Transform host reader watch" }.Start();
        return _ended.Task;
    }

    /// <summary>Ends the watcher and lets the followers go; a thread still running a frame ends once it returns.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void StartReader()
    {
        _threads++;
        new Thread(Read) { IsBackground = true, Name = $"Transform host reader {_threads}" }.Start();
    }

    private void Read()
    {
        lock (_gate)
        {
            _reader = Thread.CurrentThread;
        }

        while (true)
        {
            (HostFrameKind Kind, object Frame)? frame;
            try
            {
                frame = _channel.Read();
            }
#pragma warning disable CA1031 // A broken channel ends the host as its end would, with the reason told.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _ended.TrySetException(e);
                return;
            }

            if (frame is null)
            {
                _ended.TrySetResult();
                return;
            }

            // Only a call's run is watched: a load must be done before the frames after it are read (a run of
            // the version it loads may follow it at once), and it runs no script code.
            if (frame.Value.Kind == HostFrameKind.Run)
            {
                lock (_gate)
                {
                    _busyWith = ++_frames;
                    if (_watcherWaits)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
            }

            _run(frame.Value.Frame);

            lock (_gate)
            {
                if (_reader == Thread.CurrentThread)
                {
                    _busyWith = 0;
                    continue;
                }

                // The reading passed on while this thread ran the frame: it waits to be called on again.
                _followers++;
                while (_promoted == 0 && !_stopped)
                {
                    Monitor.Wait(_gate);
                }

                _followers--;
                if (_stopped)
                {
                    return;
                }

                _promoted--;
                _reader = Thread.CurrentThread;
            }
        }
    }

    private void Watch()
    {
        long seen = 0;
        var idle = 0;
        lock (_gate)
        {
            while (!_stopped && !_ended.Task.IsCompleted)
            {
                if (idle >= IdleLooksBeforeWait && _busyWith == 0)
                {
                    _watcherWaits = true;
                    Monitor.Wait(_gate);
                    _watcherWaits = false;
                    idle = 0;
                    continue;
                }

                Monitor.Wait(_gate, LookInterval);
                if (_busyWith == 0 || _reader is null)
                {
                    seen = 0;
                    idle++;
                    continue;
                }

                idle = 0;
                if (_busyWith != seen)
                {
                    seen = _busyWith;
                    continue;
                }

                // The same frame as at the last look: another thread reads from now on.
                seen = 0;
                _busyWith = 0;
                _reader = null;
                if (_followers > _promoted)
                {
                    _promoted++;
                    Monitor.PulseAll(_gate);
                }
                else
                {
                    StartReader();
                }
            }
        }
    }
}
