using System.Collections.Concurrent;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Isolation;
using Gateway.Scripting.Compilation;
using Gateway.Scripting.Sandbox;
using Gateway.Transforms;
using Microsoft.Extensions.Options;

namespace Gateway.Isolation;

/// <summary>
/// Runs transform chains in supervised transform-host processes (<c>Gateway:Transforms:Isolation = Process</c>): the
/// gateway never loads script code. Each chain is one call to a host; a call that is not answered within its
/// transforms' budgets plus <see cref="TransformHostOptions.ReplyMargin"/> is answered without the chain, and its
/// host is retired and killed if it does not come back within <see cref="TransformHostOptions.KillDeadline"/>. A host
/// that dies is replaced by the warm spare; the transform it was running is charged a breach, so that a transform
/// that keeps crashing its host is quarantined like one that keeps breaching its budget.
/// </summary>
internal sealed partial class TransformHostPool : ITransformChainRunner, IHostedService, IAsyncDisposable
{
    private readonly IOptionsMonitor<TransformOptions> _options;
    private readonly IWebhookSender _webhooks;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lazy<TransformQuarantine> _quarantine;
    private readonly ConcurrentDictionary<string, CompiledTransform> _prepared = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ILogger> _scriptLoggers = new(StringComparer.Ordinal);
    private static readonly TimeSpan WarmUpTimeout = TimeSpan.FromSeconds(30);
    private readonly object _gate = new();
    private readonly string _folder;
    private readonly ITransformCompiler _compiler;
    private TransformHostProcess[] _active = [];
    private TransformHostProcess? _spare;
    private CompiledTransform? _warmup;
    private int _started;
    private int _next;
    private bool _stopping;
    private Task? _stopped;

    public TransformHostPool(
        IOptionsMonitor<TransformOptions> options,
        IWebhookSender webhooks,
        ILoggerFactory loggerFactory,
        IHostApplicationLifetime lifetime,
        ITransformCompiler compiler,
        TimeProvider? time = null)
    {
        _compiler = compiler;
        // Stopping starts when the application does, not when this service's turn comes: the server waits for
        // requests in flight, and a request held by a stuck host must be answered for it to stop.
        lifetime.ApplicationStopping.Register(() => _ = StopHostsAsync());
        // Options are read when first used, not here: YARP builds the runner while it loads its own configuration,
        // and an invalid transforms section must fail start-up with its own error, not inside YARP's.
        _options = options;
        _webhooks = webhooks;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<TransformHostPool>();
        _time = time ?? TimeProvider.System;
        _quarantine = new Lazy<TransformQuarantine>(() => new TransformQuarantine(_options.CurrentValue.Budget, _time));
        _folder = Path.Combine(Path.GetTempPath(), $"gateway-hosts-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
    }

    /// <summary>The hosts serving calls now (not the spare), for tests and status.</summary>
    public IReadOnlyList<TransformHostProcess> Hosts
    {
        get
        {
            lock (_gate)
            {
                return [.. _active];
            }
        }
    }

    /// <summary>Whether every host slot is filled by a live host.</summary>
    private bool IsStopping
    {
        get
        {
            lock (_gate)
            {
                return _stopping;
            }
        }
    }

    private TransformHostOptions HostOptions => _options.CurrentValue.Hosts;

    public bool IsReady
    {
        get
        {
            lock (_gate)
            {
                return _active.Length > 0 && _active.All(h => h.IsServing && h.IsWarm);
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(_folder);
        if (!OperatingSystem.IsWindows())
        {
            folder.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }

        // The hosts' processes start first, so that their runtimes boot while the compiler process boots and
        // compiles; each is warmed up once the warm-up transform is compiled.
        lock (_gate)
        {
            _active = [.. Enumerable.Range(0, HostOptions.Count).Select(_ => StartHost())];
            _spare = StartHost();
        }

        // The hosts' warm-up transform, compiled with the same rules as any other. Named beside the gateway's own
        // files, the same path at every start, so that the compiled-transform cache can answer it like any other.
        var warmup = await _compiler.CompileAsync(Path.Combine(AppContext.BaseDirectory, "warm-up.csx"), "Headers[\"x-warm-up\"] = Request.Path;", cancellationToken);
        lock (_gate)
        {
            _warmup = warmup.Transform ?? throw new InvalidOperationException("The transform hosts' warm-up transform does not compile: " + string.Join("; ", warmup.Diagnostics));
            foreach (var host in _spare is null ? _active : [.. _active, _spare])
            {
                WarmUp(host, _warmup);
            }
        }

        LogPoolStarted(_logger, HostOptions.Count, HostOptions.MemoryLimitMegabytes);
    }

    /// <summary>Waits until every serving host has answered its warm-up call, or 30 seconds pass.</summary>
    public async Task WaitForWarmUpAsync()
    {
        try
        {
            await Task.WhenAll(Hosts.Select(host => host.Warm)).WaitAsync(WarmUpTimeout, _time);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or TransformHostCrashedException)
        {
            LogWarmUpSlow(_logger, WarmUpTimeout.TotalSeconds, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => StopHostsAsync();

    /// <summary>Closes every host's input, waits up to the shutdown timeout for them, then kills what is left. Once.</summary>
    private Task StopHostsAsync()
    {
        lock (_gate)
        {
            return _stopped ??= StopAllAsync();
        }
    }

    private async Task StopAllAsync()
    {
        TransformHostProcess[] all;
        lock (_gate)
        {
            _stopping = true;
            all = [.. _active, .. _spare is null ? Array.Empty<TransformHostProcess>() : [_spare]];
            _active = [];
            _spare = null;
        }

        await Task.WhenAll(all.Select(host => host.StopAsync(HostOptions.ShutdownTimeout)));
        foreach (var host in all)
        {
            await host.DisposeAsync();
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held; the OS's temp cleaning takes it.
        }
    }

    public async ValueTask DisposeAsync() => await StopHostsAsync();

    public void Prepare(CompiledTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        _prepared[transform.Key] = transform;
        foreach (var host in Everyone())
        {
            host.Load(transform);
        }
    }

    public void Release(CompiledTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);

        // Two compilations of one text share a key: only the one the catalog holds is let go.
        if (_prepared.TryGetValue(transform.Key, out var held) && ReferenceEquals(held, transform))
        {
            _prepared.TryRemove(transform.Key, out _);
            foreach (var host in Everyone())
            {
                host.Unload(transform.Key);
            }
        }
    }

    public async Task<TransformChainResult> RunAsync(IReadOnlyList<CompiledTransform> chain, ExitResponse response, RequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);
        if (chain.Count == 0)
        {
            return new TransformChainResult(response, []);
        }

        List<TransformFailure>? failures = null;
        var runnable = new List<CompiledTransform>(chain.Count);
        foreach (var transform in chain)
        {
            if (_quarantine.Value.IsQuarantined(transform))
            {
                LogQuarantinedSkip(_logger, transform.Name);
                (failures ??= []).Add(new TransformFailure(transform.Name, transform.FilePath, 0,
                    new InvalidOperationException("The transform is quarantined until its file changes."), TransformFailureKind.Quarantined));
            }
            else
            {
                runnable.Add(transform);
            }
        }

        if (runnable.Count == 0)
        {
            return new TransformChainResult(response, failures!);
        }

        var budget = _options.CurrentValue.Budget;
        var responseFrame = FrameMapping.ToFrame(response);
        var requestFrame = FrameMapping.ToFrame(request);
        var budgetFrame = FrameMapping.ToFrame(budget);
        var keys = runnable.Select(t => t.Key).ToArray();
        var deadline = ((budget.WallTime + budget.Grace) * runnable.Count) + HostOptions.ReplyMargin;
        var call = await SendAsync(runnable, deadline, (id, slot) => new RunFrame(id, slot, keys, budgetFrame, responseFrame, requestFrame));
        if (call is null)
        {
            foreach (var transform in runnable)
            {
                (failures ??= []).Add(Failed(transform, 0, TransformFailureKind.NotRun, "InvalidOperationException",
                    "No transform host could take the call (every host is busy or restarting); the response went out without the chain."));
            }

            return new TransformChainResult(response, failures!);
        }

        try
        {
            // Failed with a TimeoutException past the deadline by the host's sweep: no timer per call.
            var reply = await call.Task;
            return Answer(reply, runnable, call.Host, failures);
        }
        catch (TimeoutException)
        {
            var (stuck, started) = Blame(call, runnable);
            var message = started
                ? $"Transform host {call.Host.Number} did not answer within {deadline.TotalMilliseconds:0} ms while running it; the response went out without the chain, and the host is replaced."
                : $"Transform host {call.Host.Number} did not answer within {deadline.TotalMilliseconds:0} ms and had not started the chain (the host was busy, stuck in another call or starved of CPU); the response went out without the chain, the host is replaced, and no transform is charged.";

            // Charged only to a transform the host had started, once per host: a host that stalls (starved of CPU,
            // frozen) fails every call it holds, and those calls' transforms did nothing wrong. A host still warming
            // up is slow through no fault of the transform either.
            (failures ??= []).Add(started && call.Host.IsWarm && call.Host.Charge(stuck.Key)
                ? Breached(stuck, TransformFailureKind.Runaway, BudgetBreach.Time, message)
                : Failed(stuck, 0, TransformFailureKind.Runaway, nameof(TimeoutException), message));
            Replace(call.Host, "it did not answer a call in time");
            _ = KillIfStillHeldAsync(call, stuck);
            return new TransformChainResult(response, failures);
        }
        catch (TransformHostCrashedException) when (IsStopping)
        {
            // The gateway is stopping and ended the host: nothing to hold against the transform.
            return new TransformChainResult(response, failures ?? (IReadOnlyList<TransformFailure>)[]);
        }
        catch (TransformHostCrashedException crash)
        {
            var (running, started) = Blame(call, runnable);
            if (started && !call.Host.CrashReported)
            {
                call.Host.CrashReported = true;
                LogHostCrashed(_logger, crash.Host, running.Name, running.FilePath, crash.Message);
            }

            // As for a timeout: the crash is held against a transform the host was running, once per host; the calls
            // it had not started yet are answered without their chains, and their transforms are not charged.
            (failures ??= []).Add(Breached(running, TransformFailureKind.Crashed, null,
                started
                    ? $"The transform host crashed while running it ({crash.Message}); the response went out without the chain."
                    : $"The transform host crashed before it ran the chain ({crash.Message}); the response went out without the chain, and no transform is charged.",
                log: false, charge: started && call.Host.Charge(running.Key)));
            Replace(call.Host, "it crashed");
            return new TransformChainResult(response, failures);
        }
    }

    private async Task<TransformHostProcess.PendingCall?> SendAsync(List<CompiledTransform> chain, TimeSpan deadline, Func<long, int, RunFrame> build)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            TransformHostProcess[] active;
            lock (_gate)
            {
                active = _active;
            }

            if (active.Length == 0)
            {
                return null;
            }

            // Round robin over the warm hosts; a host that has just replaced another may still be warming up, and
            // the call waits for it rather than spending its deadline on the host's start.
            var first = (int)((uint)Interlocked.Increment(ref _next) % (uint)active.Length);
            TransformHostProcess? cold = null;
            for (var i = 0; i < active.Length; i++)
            {
                var host = active[(first + i) % active.Length];
                if (!host.IsServing)
                {
                    Replace(host, "it has ended");
                    continue;
                }

                if (!host.IsWarm)
                {
                    cold ??= host;
                    continue;
                }

                if (host.TrySend(chain, deadline, build) is { } call)
                {
                    return call;
                }
            }

            if (cold is not null)
            {
                try
                {
                    await cold.Warm.WaitAsync(WarmUpTimeout, _time);
                }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException or TransformHostCrashedException)
                {
                    Replace(cold, "it did not warm up");
                    continue;
                }

                if (cold.TrySend(chain, deadline, build) is { } call)
                {
                    return call;
                }
            }
        }

        return null;
    }

    private TransformChainResult Answer(ReplyFrame reply, List<CompiledTransform> chain, TransformHostProcess host, List<TransformFailure>? failures)
    {
        foreach (var log in reply.Logs)
        {
            if ((uint)log.Index < (uint)chain.Count)
            {
                WriteScriptLog(chain[log.Index], log);
            }
        }

        foreach (var webhook in reply.Webhooks)
        {
            Forward(webhook);
        }

        var runaway = false;
        foreach (var failure in reply.Failures)
        {
            var transform = (uint)failure.Index < (uint)chain.Count ? chain[failure.Index] : chain[0];
            (failures ??= []).Add(failure.Kind == TransformFailureKind.Runaway
                ? Breached(transform, TransformFailureKind.Runaway, BudgetBreach.Time, failure.Message)
                : Failed(transform, failure.Line, failure.Kind, failure.ErrorType, failure.Message, failure.Breach));
            runaway |= failure.Kind == TransformFailureKind.Runaway;
        }

        if (runaway)
        {
            // A call stuck in a library call holds one of the host's threads until it returns, which may be never.
            Replace(host, "a transform is stuck in it");
            _ = KillWhenIdleAsync(host);
        }

        return new TransformChainResult(FrameMapping.ToResponse(reply.Response), failures ?? (IReadOnlyList<TransformFailure>)[]);
    }

    private void Forward(WebhookFrame webhook)
    {
        switch (webhook)
        {
            case { Alert: { } alert, Destination: { } destination }:
                _webhooks.Send(destination, FrameMapping.ToAlert(alert));
                break;
            case { Alert: { } alert }:
                _webhooks.Send(FrameMapping.ToAlert(alert));
                break;
            case { Text: { } text, Destination: { } destination }:
                _webhooks.Send(destination, text);
                break;
            case { Text: { } text }:
                _webhooks.Send(text);
                break;
        }
    }

    private void WriteScriptLog(CompiledTransform transform, LogFrame log)
    {
        var logger = _scriptLoggers.GetOrAdd(transform.Name, static (name, factory) => factory.CreateLogger("Gateway.Transforms." + name), _loggerFactory);
        if (!logger.IsEnabled(log.Level))
        {
            return;
        }

        var message = log.Error is null ? log.Message : $"{log.Message} ({log.Error})";
        using (logger.BeginScope(new KeyValuePair<string, object?>[] { new("Transform", transform.Name) }))
        {
            logger.Log(log.Level, new EventId(log.EventId, log.EventName), message, null, static (state, _) => state);
        }
    }

    private TransformFailure Failed(CompiledTransform transform, int line, TransformFailureKind kind, string errorType, string message, BudgetBreach? breach = null)
    {
        if (kind == TransformFailureKind.Budget)
        {
            LogBudgetBreached(_logger, transform.Name, transform.FilePath, line, breach ?? BudgetBreach.Time, message);
            return new TransformFailure(transform.Name, transform.FilePath, line, new TransformBudgetExceededException(breach ?? BudgetBreach.Time, message), kind);
        }

        LogTransformFailed(_logger, transform.Name, transform.FilePath, line, errorType, message);
        return new TransformFailure(transform.Name, transform.FilePath, line, new TransformHostException(errorType, message), kind);
    }

    // A failure the gateway holds against the transform itself: the host could not, having died or hung.
    private TransformFailure Breached(CompiledTransform transform, TransformFailureKind kind, BudgetBreach? breach, string message, bool log = true, bool charge = true)
    {
        if (log)
        {
            LogRunaway(_logger, transform.Name, transform.FilePath, message);
        }

        if (charge)
        {
            RecordBreach(transform);
        }

        Exception exception = breach is { } b ? new TransformBudgetExceededException(b, message) : new TransformHostException("TransformHostCrashed", message);
        return new TransformFailure(transform.Name, transform.FilePath, 0, exception, kind);
    }

    private bool IsPrepared(CompiledTransform transform) =>
        _prepared.TryGetValue(transform.Key, out var held) && ReferenceEquals(held, transform);

    private void RecordBreach(string key)
    {
        if (_prepared.TryGetValue(key, out var transform))
        {
            RecordBreach(transform);
        }
    }

    private void RecordBreach(CompiledTransform transform)
    {
        if (_quarantine.Value.RecordBreach(transform))
        {
            var budget = _options.CurrentValue.Budget;
            LogQuarantined(_logger, transform.Name, transform.FilePath, budget.QuarantineAfter, budget.QuarantineWindow);
        }
    }

    // The transform the call's host was running when it failed it, and whether it had started any (if not, the
    // chain's first stands for the call in logs and failures, but is not to blame).
    private static (CompiledTransform Transform, bool Started) Blame(TransformHostProcess.PendingCall call, List<CompiledTransform> chain)
    {
        var index = call.Host.Running(call);
        return (uint)index < (uint)chain.Count ? (chain[index], true) : (chain[0], false);
    }

    private TransformHostProcess StartHost()
    {
        var number = Interlocked.Increment(ref _started);
        var host = TransformHostProcess.Start(number, _folder, HostOptions, RecordBreach, IsPrepared, _time);
        foreach (var transform in _prepared.Values)
        {
            host.Load(transform);
        }

        // Until the warm-up transform is compiled (the pool's start), StartAsync warms the hosts up itself.
        if (_warmup is { } warmup)
        {
            WarmUp(host, warmup);
        }

        LogHostStarted(_logger, number, host.ProcessId);
        return host;
    }

    private static void WarmUp(TransformHostProcess host, CompiledTransform warmup)
    {
        var request = FrameMapping.ToFrame(new RequestInfo("GET", "localhost", "/warm-up", string.Empty,
            new Dictionary<string, string>(), null, null, "00000000000000000000000000000000", TerminationKind.NoRoute));
        var response = new ResponseFrame(404, new JsonBody(new System.Text.Json.Nodes.JsonObject { ["message"] = "warm-up" }), null, []);
        var budget = FrameMapping.ToFrame(new TransformBudgetOptions { WallTime = TimeSpan.FromSeconds(30) });
        host.WarmUp(warmup, (id, slot) => new RunFrame(id, slot, [warmup.Key], budget, response, request));
    }

    /// <summary>Takes <paramref name="host"/> out of service: the spare takes its place, and a new spare starts.</summary>
    private void Replace(TransformHostProcess host, string reason)
    {
        host.Retire();
        lock (_gate)
        {
            var index = Array.IndexOf(_active, host);
            if (_stopping || index < 0)
            {
                return;
            }

            var active = (TransformHostProcess[])_active.Clone();
            active[index] = _spare is { IsServing: true } spare ? spare : StartHost();
            _spare = null;
            _active = active;
            LogHostReplaced(_logger, host.Number, reason, active[index].Number);
        }

        _ = Task.Run(() =>
        {
            var spare = StartHost();
            lock (_gate)
            {
                if (!_stopping && _spare is null)
                {
                    _spare = spare;
                    return;
                }
            }

            _ = spare.DisposeAsync().AsTask();
        });
        _ = DisposeWhenExitedAsync(host);
    }

    private async Task KillIfStillHeldAsync(TransformHostProcess.PendingCall call, CompiledTransform stuck)
    {
        try
        {
            await call.Late.WaitAsync(HostOptions.KillDeadline, _time);
        }
        catch (TimeoutException)
        {
            LogHostKilled(_logger, call.Host.Number, HostOptions.KillDeadline.TotalMilliseconds);
            call.Host.Kill();
        }
        catch (TransformHostCrashedException crash) when (!call.Host.CrashReported)
        {
            // It died on its own after the call was answered (a stack overflow takes a while to report itself).
            call.Host.CrashReported = true;
            LogHostCrashed(_logger, crash.Host, stuck.Name, stuck.FilePath, crash.Message);
        }
        catch (TransformHostCrashedException)
        {
            // Reported already.
        }
    }

    private async Task KillWhenIdleAsync(TransformHostProcess host)
    {
        var until = _time.GetTimestamp();
        while (host.InFlight > 0 && _time.GetElapsedTime(until) < HostOptions.KillDeadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time);
        }

        // A host that is dying anyway (a stack overflow is reported before the process ends) gets a moment to say why.
        try
        {
            await host.Exited.WaitAsync(TimeSpan.FromMilliseconds(250), _time);
        }
        catch (TimeoutException)
        {
            LogStuckHostStopped(_logger, host.Number, host.ErrorTail);
            host.Kill();
        }
    }

    private async Task DisposeWhenExitedAsync(TransformHostProcess host)
    {
        await host.Exited;
        if (!host.EndedByGateway && !host.CrashReported)
        {
            LogHostEnded(_logger, host.Number, host.ExitCode, host.ErrorTail);
        }

        await host.DisposeAsync();
    }

    private IEnumerable<TransformHostProcess> Everyone()
    {
        lock (_gate)
        {
            return [.. _active, .. _spare is null ? Array.Empty<TransformHostProcess>() : [_spare]];
        }
    }
}
