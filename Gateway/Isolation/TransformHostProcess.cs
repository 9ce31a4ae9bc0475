using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Gateway.Scripting;
using Gateway.Scripting.Isolation;

namespace Gateway.Isolation;

/// <summary>
/// One transform-host process, as the gateway sees it: started with an empty environment and a capped heap, spoken
/// to over a <see cref="HostChannel"/>, its standard error kept for crash reports. It answers calls by id; when it
/// dies, every call it held fails with a <see cref="TransformHostCrashedException"/>.
/// </summary>
/// <remarks>
/// Calls go out on a Unix domain socket the host connects to (in the pool's folder, which only this user can
/// reach): the request's thread writes its call there itself, and a socket, unlike a pipe, never makes it wait for
/// a host that has stopped reading. Replies come back on the host's standard output, read by a thread of this
/// host's own, blocked in its read: a reply wakes that one thread, which completes the calls it carries.
/// </remarks>
internal sealed class TransformHostProcess : IAsyncDisposable
{
    private const int StderrHeadLines = 3;
    private const int StderrTailLines = 4;
    // How often the host's calls in flight are checked against their deadlines: a deadline is hundreds of
    // milliseconds, so a call is answered at most this late, and no call pays for a timer of its own.
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromMilliseconds(20);
    private static readonly string[] ProfilingVariables = ["DOTNET_PerfMapEnabled", "DOTNET_EnableWriteXorExecute"];

    private readonly Process _process;
    private readonly HostChannel _channel;
    private readonly ProgressSlots _progress;
    private readonly string _progressPath;
    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();
    private readonly ConcurrentStack<int> _freeSlots;
    private readonly Dictionary<string, Residence> _loaded = new(StringComparer.Ordinal);
    private readonly ChildProcessReport _report;
    private readonly Action<string> _breach;
    private readonly Func<CompiledTransform, bool> _isCurrent;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _warm = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private readonly Socket _listener;
    private readonly string _socketPath;
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly HashSet<string> _charged = new(StringComparer.Ordinal);
    private long _nextId;
    private volatile bool _retired;
    private volatile bool _ended;

    private TransformHostProcess(int number, Process process, Socket listener, string socketPath, ProgressSlots progress, string progressPath, int slots, Action<string> breach, Func<CompiledTransform, bool> isCurrent, TimeProvider time)
    {
        _time = time;
        Number = number;
        ProcessId = process.Id;
        _process = process;
        _progress = progress;
        _progressPath = progressPath;
        _breach = breach;
        _isCurrent = isCurrent;
        _freeSlots = new ConcurrentStack<int>(Enumerable.Range(0, slots).Reverse());
        _listener = listener;
        _socketPath = socketPath;
        _channel = new HostChannel(process.StandardOutput.BaseStream, output: null, ChannelWrites.NonBlocking);
        _report = new ChildProcessReport(process);
        _sweep = time.CreateTimer(static state => ((TransformHostProcess)state!).Sweep(), this, SweepPeriod, SweepPeriod);
        _ = AcceptAsync();
        new Thread(ReadLoop) { IsBackground = true, Name = $"Transform host {number} replies" }.Start();
    }

    /// <summary>The host's number in this gateway's lifetime (1, 2, 3...), for logs.</summary>
    public int Number { get; }

    /// <summary>The host's process id.</summary>
    public int ProcessId { get; }

    /// <summary>Calls in flight.</summary>
    public int InFlight => _pending.Count;

    /// <summary>How many versions the host holds loaded (the pool's, and retired ones a call in flight still runs).</summary>
    public int LoadedVersions
    {
        get
        {
            lock (_loaded)
            {
                return _loaded.Count;
            }
        }
    }

    /// <summary>Whether the host is gone or retired: it takes no new call.</summary>
    public bool IsServing => !_retired && !_exited.Task.IsCompleted;

    /// <summary>Whether the host has answered its warm-up call: its runtime, the runner and the channel are compiled.</summary>
    public bool IsWarm => _warm.Task.IsCompletedSuccessfully;

    /// <summary>Completes when the host has answered its warm-up call.</summary>
    public Task Warm => _warm.Task;

    /// <summary>Completes when the host's output has ended: it exited, crashed or was killed.</summary>
    public Task Exited => _exited.Task;

    /// <summary>
    /// The first and last lines the host wrote to its standard error: the runtime's report of a crash starts with
    /// its cause ("Stack overflow.") and ends with where it happened.
    /// </summary>
    public string ErrorTail => _report.Output;

    /// <summary>Whether a crash of this host has been logged already.</summary>
    public bool CrashReported { get; set; }

    /// <summary>Starts a host.</summary>
    /// <param name="number">Its number, for logs.</param>
    /// <param name="folder">A folder only this user can reach, for its progress file.</param>
    /// <param name="options">The pool's settings.</param>
    /// <param name="breach">Called with a transform's key when the host holds a breach against it.</param>
    /// <param name="isCurrent">Whether a version is one the pool holds (others are loaded only for the calls that run them).</param>
    /// <param name="time">The clock calls' deadlines are read from.</param>
    public static TransformHostProcess Start(int number, string folder, TransformHostOptions options, Action<string> breach, Func<CompiledTransform, bool> isCurrent, TimeProvider time)
    {
        var progressPath = Path.Combine(folder, $"host-{number}.progress");
        var socketPath = Path.Combine(folder, $"host-{number}.sock");
        File.Delete(socketPath);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var progress = ProgressSlots.Create(progressPath, options.MaxCallsPerHost);
        var start = new ProcessStartInfo(Muxer())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.TransformHost.dll"));
        start.ArgumentList.Add(progressPath);
        start.ArgumentList.Add(options.MaxCallsPerHost.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(socketPath);

        // Nothing of the gateway's environment (webhook URLs, API keys, connection strings) reaches a host.
        start.Environment.Clear();
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + ((long)options.MemoryLimitMegabytes * 1024 * 1024).ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // Profiling settings an operator gave the gateway reach its hosts too (perf's map of JIT-compiled code); no secret.
        foreach (var name in ProfilingVariables)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                start.Environment[name] = value;
            }
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            start.Environment["DOTNET_ROOT"] = root;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("The transform host did not start.");
        }
        catch
        {
            listener.Dispose();
            progress.Dispose();
            throw;
        }

        return new TransformHostProcess(number, process, listener, socketPath, progress, progressPath, options.MaxCallsPerHost, breach, isCurrent, time);
    }

    /// <summary>Hands <paramref name="transform"/>'s image to the host, once.</summary>
    /// <param name="transform">The version to load.</param>
    public void Load(CompiledTransform transform)
    {
        lock (_loaded)
        {
            Reside(transform).Retired = false;
        }
    }

    /// <summary>
    /// Tells the host to let a retired version go: at once when no call in flight uses it, otherwise when the last
    /// such call completes, so that a call that read the catalog before a swap finishes on the version it started with.
    /// </summary>
    /// <param name="key">The version's key.</param>
    public void Unload(string key)
    {
        lock (_loaded)
        {
            if (_loaded.TryGetValue(key, out var residence))
            {
                residence.Retired = true;
                UnloadIfUnused(key, residence);
            }
        }
    }

    /// <summary>Sends a call; <see langword="null"/> when the host has no free slot or has gone.</summary>
    /// <param name="chain">The transforms, loaded here first if they are not yet.</param>
    /// <param name="deadline">
    /// How long the call may take: past it, its task fails with a <see cref="TimeoutException"/> (within
    /// <see cref="SweepPeriod"/>) while the host may still answer it (<see cref="PendingCall.Late"/>).
    /// </param>
    /// <param name="build">Builds the frame from the call's id and slot.</param>
    public PendingCall? TrySend(IReadOnlyList<CompiledTransform> chain, TimeSpan deadline, Func<long, int, RunFrame> build)
    {
        if (!IsServing || !_freeSlots.TryPop(out var slot))
        {
            return null;
        }

        var keys = new string[chain.Count];
        lock (_loaded)
        {
            for (var i = 0; i < chain.Count; i++)
            {
                // A version the pool no longer holds (a call that read the catalog just before a swap) is loaded
                // again for this call and let go after it.
                var residence = Reside(chain[i], retired: !_isCurrent(chain[i]));
                residence.Calls++;
                keys[i] = chain[i].Key;
            }
        }

        _progress.Clear(slot);
        var id = Interlocked.Increment(ref _nextId);
        var deadlineAt = deadline == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : _time.GetTimestamp() + (long)(deadline.TotalSeconds * _time.TimestampFrequency);
        var call = new PendingCall(this, id, slot, keys, deadlineAt);
        _pending[id] = call;
        // A call added after the host's end failed its calls is failed here: never left unanswered.
        if (!_channel.Send(HostFrameKind.Run, build(id, slot)) || _ended)
        {
            Complete(call);
            call.Fail(Crashed());
        }

        return call;
    }

    /// <summary>Runs <paramref name="warmup"/> once, so that the host's first real call does not pay for its JIT.</summary>
    /// <param name="warmup">A trivial transform.</param>
    /// <param name="build">Builds the frame from the call's id and slot.</param>
    public void WarmUp(CompiledTransform warmup, Func<long, int, RunFrame> build)
    {
        if (TrySend([warmup], Timeout.InfiniteTimeSpan, build) is not { } call)
        {
            _warm.TrySetException(new InvalidOperationException("The transform host ended before its warm-up."));
            return;
        }

        call.Task.ContinueWith(
            static (task, state) =>
            {
                var warm = (TaskCompletionSource)state!;
                if (task.IsCompletedSuccessfully)
                {
                    warm.TrySetResult();
                }
                else
                {
                    warm.TrySetException(task.Exception?.InnerException ?? new InvalidOperationException("The warm-up failed."));
                }
            },
            _warm,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>The index of the transform the call last started, or -1.</summary>
    /// <param name="call">The call.</param>
    public int Running(PendingCall call) => _progress.Running(call.Slot);

    /// <summary>
    /// Whether a breach of this host's (a call it did not answer in time, or its crash) may be held against the
    /// transform <paramref name="key"/>: once per host and transform, however many calls it failed at once.
    /// </summary>
    /// <param name="key">The transform version's key.</param>
    public bool Charge(string key)
    {
        lock (_charged)
        {
            return _charged.Add(key);
        }
    }

    /// <summary>Takes no new call from now on; the calls in flight still finish.</summary>
    public void Retire() => _retired = true;

    /// <summary>Whether the gateway ended the host (killed or stopped it), rather than the host ending on its own.</summary>
    public bool EndedByGateway { get; private set; }

    /// <summary>The host's exit code, once it has exited.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>Ends the process at once.</summary>
    public void Kill()
    {
        _retired = true;
        EndedByGateway = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }

    /// <summary>Asks the host to finish (its input is closed), waits up to <paramref name="timeout"/>, then kills it.</summary>
    /// <param name="timeout">How long to wait for a clean exit.</param>
    public async Task StopAsync(TimeSpan timeout)
    {
        _retired = true;
        EndedByGateway = true;
        StopAccepting();

        // Closing the channel waits for a write in progress, which a frozen host with a full socket never takes:
        // the timeout bounds that wait too.
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await CloseChannelAsync().WaitAsync(cancel.Token);
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _sweep.DisposeAsync();
        Kill();
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);

        // The host is dead: a write in progress fails at once, and the socket is closed now rather than when collected.
        await CloseChannelAsync().WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _process.Dispose();
        _progress.Dispose();
        _stopAccepting.Dispose();
        DeleteQuietly(_progressPath);
    }

    private async Task CloseChannelAsync()
    {
        try
        {
            await _channel.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The host is gone already.
        }
    }

    // Fails the calls past their deadline: their callers answer without the chain; a late reply still completes Late.
    private void Sweep()
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        var now = _time.GetTimestamp();
        foreach (var (_, call) in _pending)
        {
            if (now >= call.DeadlineAt)
            {
                call.TimeOut();
            }
        }
    }

    private void Complete(PendingCall call)
    {
        if (_pending.TryRemove(call.Id, out _))
        {
            _freeSlots.Push(call.Slot);
            lock (_loaded)
            {
                foreach (var key in call.Keys)
                {
                    if (_loaded.TryGetValue(key, out var residence))
                    {
                        residence.Calls--;
                        UnloadIfUnused(key, residence);
                    }
                }
            }
        }
    }

    private Residence Reside(CompiledTransform transform, bool retired = false)
    {
        if (!_loaded.TryGetValue(transform.Key, out var residence))
        {
            residence = new Residence { Retired = retired };
            _loaded.Add(transform.Key, residence);
            _channel.Send(HostFrameKind.Load, FrameMapping.ToFrame(transform));
        }

        return residence;
    }

    private void UnloadIfUnused(string key, Residence residence)
    {
        if (residence is { Retired: true, Calls: 0 })
        {
            _loaded.Remove(key);
            _channel.Send(HostFrameKind.Unload, new UnloadFrame(key));
        }
    }

    // The host's one connection: calls sent before it connects wait in the channel. The socket's name goes once taken.
    private async Task AcceptAsync()
    {
        try
        {
            var socket = await _listener.AcceptAsync(_stopAccepting.Token).ConfigureAwait(false);
            _channel.Connect(new NetworkStream(socket, ownsSocket: true));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The host ended before it connected: its read loop reports that.
        }
        finally
        {
            _listener.Dispose();
            DeleteQuietly(_socketPath);
        }
    }

    // Blocked in a read of the host's standard output on a thread of its own; a reply's caller goes on right here.
    private void ReadLoop()
    {
        try
        {
            while (_channel.Read() is { } frame)
            {
                switch (frame.Frame)
                {
                    case ReplyFrame reply when _pending.TryGetValue(reply.Id, out var call):
                        Complete(call);
                        call.Reply(reply);
                        break;
                    case BreachFrame breach:
                        _breach(breach.Key);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ObjectDisposedException or System.Text.Json.JsonException)
        {
            // The host died mid-frame, or wrote something that is not a frame: either way it is done.
        }

        _ = EndAsync();
    }

    private async Task EndAsync()
    {
        _retired = true;
        StopAccepting();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
        }

        _ended = true;
        var crashed = Crashed();
        foreach (var call in _pending.Values)
        {
            Complete(call);
            call.Fail(crashed);
        }

        _exited.TrySetResult();
    }

    private void StopAccepting()
    {
        try
        {
            _stopAccepting.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed: accepting stopped long ago.
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Removed with its folder when the pool stops.
        }
    }

    private TransformHostCrashedException Crashed()
    {
        int? exitCode = _process.HasExited ? _process.ExitCode : null;
        return new TransformHostCrashedException(Number, exitCode, _report.Describe());
    }

    // The dotnet executable that runs this process's runtime: the host (and the compiler process) run on the same one.
    internal static string Muxer()
    {
        var name = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } current && Path.GetFileName(current) == name)
        {
            return current;
        }

        var runtime = RuntimeEnvironment.GetRuntimeDirectory(); // <root>/shared/Microsoft.NETCore.App/<version>/
        var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
        var candidate = Path.Combine(root, name);
        return File.Exists(candidate) ? candidate : name;
    }

    /// <summary>
    /// A call in flight: its reply, or its host's crash. The caller's continuation runs on the thread that completes
    /// the call (the host's read loop), not after one more hop through the thread pool: answering a reply is short
    /// and never blocks (the response is written asynchronously), and each host has its own read loop.
    /// </summary>
    internal sealed class PendingCall(TransformHostProcess host, long id, int slot, string[] keys, long deadlineAt)
    {
        private readonly TaskCompletionSource<ReplyFrame> _reply = new();

        // Made only when the call times out: what the host did with it after all (a reply, or its crash).
        private TaskCompletionSource<ReplyFrame>? _late;

        public TransformHostProcess Host { get; } = host;

        public long Id { get; } = id;

        public int Slot { get; } = slot;

        /// <summary>The keys of the versions the call runs, held loaded in the host until it completes.</summary>
        public string[] Keys { get; } = keys;

        /// <summary>When the call's deadline passes, as a timestamp of the host's clock.</summary>
        public long DeadlineAt { get; } = deadlineAt;

        /// <summary>The reply; or the host's crash; or, past the deadline, a <see cref="TimeoutException"/>.</summary>
        public Task<ReplyFrame> Task => _reply.Task;

        /// <summary>For a call that timed out, the reply or crash that came after; otherwise <see cref="Task"/>.</summary>
        public Task<ReplyFrame> Late
        {
            get
            {
                lock (this)
                {
                    return _late?.Task ?? _reply.Task;
                }
            }
        }

        public void Reply(ReplyFrame reply)
        {
            _reply.TrySetResult(reply);
            LateOutcome()?.TrySetResult(reply);
        }

        public void Fail(Exception exception)
        {
            _reply.TrySetException(exception);
            LateOutcome()?.TrySetException(exception);
        }

        public void TimeOut()
        {
            lock (this)
            {
                if (_reply.Task.IsCompleted)
                {
                    return;
                }

                _late ??= new TaskCompletionSource<ReplyFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            _reply.TrySetException(new TimeoutException());
        }

        private TaskCompletionSource<ReplyFrame>? LateOutcome()
        {
            lock (this)
            {
                return _late;
            }
        }
    }

    /// <summary>A version loaded in the host: the calls in flight that use it, and whether the pool has let it go.</summary>
    private sealed class Residence
    {
        public int Calls { get; set; }

        public bool Retired { get; set; }
    }
}
