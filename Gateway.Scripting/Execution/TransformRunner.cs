using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Scripting.Sandbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Scripting.Execution;

/// <summary>
/// Runs a chain of compiled transforms over a response, in order, each seeing the output of the one before.
/// The chain runs off the request's own code path, handed once to the thread pool (or to the caller's own thread,
/// <see cref="ChainRunOptions.HandOff"/>; or, for a transform once stuck in a library call, to a dedicated
/// <see cref="ScriptThreads"/> thread), each transform under its own execution
/// budget and watched, queued or running, by the <see cref="ScriptExecution"/>'s <see cref="ScriptWatchdog"/>.
/// A transform that throws, breaches its budget or is stuck past it is skipped: the response
/// stays as it was before it, and the failure is logged with the transform's file and line. One that breaches
/// too often is quarantined.
/// </summary>
public sealed partial class TransformRunner : ITransformChainRunner, IDisposable
{
    private readonly IWebhookSender _webhooks;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TransformBudgetOptions _budget;
    private readonly ITransformQuarantine _quarantine;
    private readonly ScriptExecution _execution;
    private readonly bool _ownsExecution;
    private readonly ConcurrentDictionary<string, ILogger> _scriptLoggers = new(StringComparer.Ordinal);

    /// <summary>Creates a runner.</summary>
    /// <param name="webhooks">What scripts' <c>Webhooks</c> global sends to.</param>
    /// <param name="loggerFactory">Creates the loggers for the runner and for scripts' <c>Log</c> global.</param>
    /// <param name="budget">The execution budget of each run; <see langword="null"/> for the defaults.</param>
    /// <param name="time">The clock quarantine windows are measured with; <see langword="null"/> for the system clock.</param>
    /// <param name="quarantine">Where breaches are held; <see langword="null"/> for a <see cref="TransformQuarantine"/> of this runner's own.</param>
    /// <param name="execution">
    /// The threads that run and watch the chains, shared by the process's runners; <see langword="null"/> for a
    /// <see cref="ScriptExecution"/> of this runner's own on <paramref name="time"/>, disposed with it.
    /// </param>
    public TransformRunner(IWebhookSender webhooks, ILoggerFactory? loggerFactory = null, TransformBudgetOptions? budget = null, TimeProvider? time = null, ITransformQuarantine? quarantine = null, ScriptExecution? execution = null)
    {
        ArgumentNullException.ThrowIfNull(webhooks);

        // Scripts get a façade with no public state: a library that reflects over the global finds nothing.
        _webhooks = new ScriptWebhooks(webhooks);
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<TransformRunner>();
        _budget = budget ?? new TransformBudgetOptions();
        _budget.Validate();
        _quarantine = quarantine ?? new TransformQuarantine(_budget, time ?? TimeProvider.System);
        _ownsExecution = execution is null;
        _execution = execution ?? new ScriptExecution(time: time);
    }

    /// <summary>Disposes the runner's own <see cref="ScriptExecution"/>, if it made one; a shared one stays.</summary>
    public void Dispose()
    {
        if (_ownsExecution)
        {
            _execution.Dispose();
        }
    }

    /// <summary>Loads <paramref name="transform"/> into this process and compiles its methods, off the request path.</summary>
    /// <param name="transform">The new version.</param>
    public void Prepare(CompiledTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        transform.Load();
    }

    /// <summary>Unloads <paramref name="transform"/> once no run holds it.</summary>
    /// <param name="transform">The retired version.</param>
    public void Release(CompiledTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        transform.Unload();
    }

    /// <summary>Runs <paramref name="chain"/> over <paramref name="response"/>.</summary>
    /// <param name="chain">The transforms, in the order they run.</param>
    /// <param name="response">The response as the gateway or upstream produced it; it is not changed.</param>
    /// <param name="request">The request being answered.</param>
    /// <returns>The response to send and the failures met.</returns>
    public Task<TransformChainResult> RunAsync(IReadOnlyList<CompiledTransform> chain, ExitResponse response, RequestInfo request) =>
        RunAsync(chain, response, request, null);

    /// <summary>Runs <paramref name="chain"/> over <paramref name="response"/> with services of the call's own.</summary>
    /// <param name="chain">The transforms, in the order they run.</param>
    /// <param name="response">The response as the gateway or upstream produced it; it is not changed.</param>
    /// <param name="request">The request being answered.</param>
    /// <param name="options">What this run uses instead of the runner's webhooks, loggers and budget.</param>
    /// <returns>The response to send and the failures met.</returns>
    public async Task<TransformChainResult> RunAsync(IReadOnlyList<CompiledTransform> chain, ExitResponse response, RequestInfo request, ChainRunOptions? options)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);

        if (chain.Count == 0)
        {
            return new TransformChainResult(response, []);
        }

        // The whole chain runs in one hand-off: on this thread's local pool queue (picked up as soon as the
        // request's thread yields), or on a script thread once one of its transforms has been stuck in a library
        // call. When the watchdog cuts a transform stuck past its deadline, the rest goes on from the response
        // as it was before that one.
        // Watched from the moment it is queued: a run that waits for a thread past its budget is answered too.
        // A caller's hand-off (a transform host's reader) takes the first run only: the rest of a chain the watchdog
        // cut must not wait for the thread that is stuck.
        var run = new ChainRun(this, chain, 0, response, request, null, options);
        var handOff = options?.HandOff;
        while (true)
        {
            run.QueuedAt = _execution.Time.GetTimestamp();
            _execution.Watchdog.Hold(run);
            if (AnyIsolated(chain, run.Start))
            {
                _execution.Threads.Queue(run);
            }
            else if (handOff is not null)
            {
                run.CompletesInline = true;
                handOff(run);
            }
            else
            {
                ThreadPool.UnsafeQueueUserWorkItem(run, preferLocal: true);
            }

            handOff = null;

            await run.Completion.ConfigureAwait(false);
            if (run.ResumeAt >= chain.Count)
            {
                return new TransformChainResult(run.Response, run.Failures ?? (IReadOnlyList<TransformFailure>)[]);
            }

            run = new ChainRun(this, chain, run.ResumeAt, run.Response, request, run.Failures, options);
        }
    }

    private static bool AnyIsolated(IReadOnlyList<CompiledTransform> chain, int start)
    {
        for (var i = start; i < chain.Count; i++)
        {
            if (chain[i].Isolated)
            {
                return true;
            }
        }

        return false;
    }

    private void RecordBreach(CompiledTransform transform)
    {
        if (_quarantine.RecordBreach(transform))
        {
            TransformLog.Quarantined(_logger, transform.Name, transform.FilePath, _budget.QuarantineAfter, _budget.QuarantineWindow);
        }
    }

    private TransformFailure Quarantined(CompiledTransform transform)
    {
        TransformLog.QuarantinedSkip(_logger, transform.Name);
        return new TransformFailure(
            transform.Name, transform.FilePath, 0,
            new InvalidOperationException("The transform is quarantined until its file changes."),
            TransformFailureKind.Quarantined);
    }

    private TransformFailure NoThread(CompiledTransform transform, TransformBudgetOptions budget)
    {
        var busy = new InvalidOperationException(
            $"No thread picked the transform up within {(budget.WallTime + budget.Grace).TotalMilliseconds:0} ms (the transform threads, or the machine, are saturated); the response went out without it.");
        TransformLog.NotRun(_logger, transform.Name, busy.Message);
        return new TransformFailure(transform.Name, transform.FilePath, 0, busy, TransformFailureKind.NotRun);
    }

    private TransformFailure Runaway(CompiledTransform transform, TransformBudgetOptions budget)
    {
        // Stuck inside one library call where no woven check runs: answered without it. The call finishes on
        // its thread, and its next check stops it; from now on this version runs on the dedicated threads.
        transform.Isolated = true;
        var breach = new TransformBudgetExceededException(
            BudgetBreach.Time,
            $"The transform was still running {(budget.WallTime + budget.Grace).TotalMilliseconds:0} ms after it started, inside a call the budget checks cannot interrupt; the response went out without it.");
        TransformLog.Overran(_logger, transform.Name, transform.FilePath, breach.Message);
        return new TransformFailure(transform.Name, transform.FilePath, 0, breach, TransformFailureKind.Runaway);
    }

    private TransformFailure Failed(CompiledTransform transform, Exception exception)
    {
        var line = LineOf(exception, transform.FilePath);
        if (exception is TransformBudgetExceededException budget)
        {
            TransformLog.BudgetBreached(_logger, transform.Name, transform.FilePath, line, budget.Breach, budget.Message);
            return new TransformFailure(transform.Name, transform.FilePath, line, exception, TransformFailureKind.Budget);
        }

        if (exception is OutOfMemoryException or InsufficientExecutionStackException)
        {
            // The process's memory cap (a transform host's heap limit) or its stack ran out inside a library call.
            var breach = exception is OutOfMemoryException ? BudgetBreach.Memory : BudgetBreach.CallDepth;
            TransformLog.BudgetBreached(_logger, transform.Name, transform.FilePath, line, breach, exception.Message);
            return new TransformFailure(transform.Name, transform.FilePath, line, new TransformBudgetExceededException(breach, exception.Message), TransformFailureKind.Budget);
        }

        if (exception is System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // Match timeouts are capped at the time the transform has left: running out is a time breach.
            TransformLog.BudgetBreached(_logger, transform.Name, transform.FilePath, line, BudgetBreach.Time, exception.Message);
            return new TransformFailure(transform.Name, transform.FilePath, line, exception, TransformFailureKind.Budget);
        }

        TransformLog.TransformFailed(_logger, exception, transform.Name, transform.FilePath, line, exception.GetType().Name, exception.Message);
        return new TransformFailure(transform.Name, transform.FilePath, line, exception);
    }

    /// <summary>What a runaway did once its call returned: logged, and held against it if it really spun.</summary>
    private void RunawayEnded(CompiledTransform transform, Exception? error, TransformBudget budget, double? cpuShare)
    {
        if (error is not null)
        {
            TransformLog.OverrunStopped(_logger, error.Message);
        }

        // Only now is its CPU time known: a run that was merely not scheduled is not held against it.
        if (IsGuilty(null, budget, cpuShare))
        {
            RecordBreach(transform);
        }
    }

    /// <summary>
    /// Whether a breach counts toward quarantine. Memory and call depth always do. Time does when the run spun in
    /// its own loops (it passed <see cref="SpinningChecks"/> budget checks), was on the CPU at least half the time
    /// the watchdog watched it, or when that share is unknown (it breached before the watchdog's first look, or the
    /// platform does not tell CPU time): on a saturated machine a well-behaved script can miss a wall-clock
    /// deadline without having used its share.
    /// </summary>
    private static bool IsGuilty(Exception? breach, TransformBudget budget, double? cpuShare) =>
        breach is TransformBudgetExceededException { Breach: not BudgetBreach.Time }
        || budget.Checks >= SpinningChecks
        || cpuShare is not { } share
        || share >= 0.5;

    private const long SpinningChecks = 10_000;

    internal ILogger ScriptLogger(string transform) =>
        _scriptLoggers.GetOrAdd(
            transform,
            static (name, factory) => new TransformLogger(factory.CreateLogger("Gateway.Transforms." + name), name),
            _loggerFactory);

    /// <summary>The line of the innermost stack frame inside the script's own file.</summary>
    internal static int LineOf(Exception exception, string filePath)
    {
        var frames = new StackTrace(exception, fNeedFileInfo: true).GetFrames();
        foreach (var frame in frames)
        {
            if (string.Equals(frame.GetFileName(), filePath, StringComparison.Ordinal) && frame.GetFileLineNumber() > 0)
            {
                return frame.GetFileLineNumber();
            }
        }

        return 0;
    }
}
