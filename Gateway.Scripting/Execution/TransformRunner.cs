using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Scripting.Sandbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Scripting.Execution;

/// <summary>
/// Runs a chain of compiled transforms over a response, in order, each seeing the output of the one before.
/// Each run happens on a thread-pool thread under its own execution budget. A transform that throws, breaches
/// its budget or is stuck past it is skipped: the response stays as it was before it, and the failure is
/// logged with the transform's file and line. One that breaches too often is quarantined.
/// </summary>
public sealed partial class TransformRunner
{
    private readonly IWebhookSender _webhooks;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TransformBudgetOptions _budget;
    private readonly TransformQuarantine _quarantine;
    private readonly ConcurrentDictionary<string, ILogger> _scriptLoggers = new(StringComparer.Ordinal);

    /// <summary>Creates a runner.</summary>
    /// <param name="webhooks">What scripts' <c>Webhooks</c> global sends to.</param>
    /// <param name="loggerFactory">Creates the loggers for the runner and for scripts' <c>Log</c> global.</param>
    /// <param name="budget">The execution budget of each run; <see langword="null"/> for the defaults.</param>
    /// <param name="time">The clock quarantine windows are measured with; <see langword="null"/> for the system clock.</param>
    public TransformRunner(IWebhookSender webhooks, ILoggerFactory? loggerFactory = null, TransformBudgetOptions? budget = null, TimeProvider? time = null)
    {
        _webhooks = webhooks ?? throw new ArgumentNullException(nameof(webhooks));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<TransformRunner>();
        _budget = budget ?? new TransformBudgetOptions();
        _budget.Validate();
        _quarantine = new TransformQuarantine(_budget, time ?? TimeProvider.System);
    }

    /// <summary>Runs <paramref name="chain"/> over <paramref name="response"/>.</summary>
    /// <param name="chain">The transforms, in the order they run.</param>
    /// <param name="response">The response as the gateway or upstream produced it; it is not changed.</param>
    /// <param name="request">The request being answered.</param>
    /// <returns>The response to send and the failures met.</returns>
    public async Task<TransformChainResult> RunAsync(IReadOnlyList<CompiledTransform> chain, ExitResponse response, RequestInfo request)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);

        List<TransformFailure>? failures = null;
        foreach (var transform in chain)
        {
            if (_quarantine.IsQuarantined(transform))
            {
                LogQuarantinedSkip(_logger, transform.Name);
                (failures ??= []).Add(new TransformFailure(
                    transform.Name, transform.FilePath, 0,
                    new InvalidOperationException("The transform is quarantined until its file changes."),
                    TransformFailureKind.Quarantined));
                continue;
            }

            // Copies, so that a transform that fails halfway leaves no trace in what the next one sees.
            var globals = new ExitContext(
                response.Status,
                response.Body?.DeepClone(),
                response.Text,
                response.Headers.Clone(),
                request,
                _webhooks,
                ScriptLogger(transform.Name));
            var run = new Run(transform, globals, _budget);
            var failure = await InvokeAsync(run).ConfigureAwait(false);
            if (failure is null)
            {
                response = new ExitResponse(globals.Status, globals.Body, globals.Text, globals.Headers);
                continue;
            }

            (failures ??= []).Add(failure);
            if (failure.Kind == TransformFailureKind.Budget && run.IsGuilty(failure.Exception))
            {
                RecordBreach(transform);
            }
        }

        return new TransformChainResult(response, failures ?? (IReadOnlyList<TransformFailure>)[]);
    }

    private void RecordBreach(CompiledTransform transform)
    {
        if (_quarantine.RecordBreach(transform))
        {
            LogQuarantined(_logger, transform.Name, transform.FilePath, _budget.QuarantineAfter, _budget.QuarantineWindow);
        }
    }

    private async Task<TransformFailure?> InvokeAsync(Run run)
    {
        var transform = run.Transform;
        try
        {
            // The budget is counted from when a script thread picks the run up, not from when it was queued;
            // a run that finds every script thread held (by runaways) for as long is given up.
            if (!await run.StartedWithin(_budget.WallTime + _budget.Grace).ConfigureAwait(false))
            {
                var busy = new InvalidOperationException(
                    $"No transform thread was free within {(_budget.WallTime + _budget.Grace).TotalMilliseconds:0} ms (all {ScriptThreads.Shared.Count} are busy); the response went out without this transform.");
                LogNoThread(_logger, transform.Name, busy.Message);
                return new TransformFailure(transform.Name, transform.FilePath, 0, busy);
            }

            await run.Completion.WaitAsync(_budget.WallTime + _budget.Grace).ConfigureAwait(false);
            return null;
        }
        catch (TimeoutException) when (!run.Completion.IsCompleted)
        {
            // Stuck inside one library call where no woven check runs: answer without it, and let the call
            // finish on its pool thread; its next check will stop it.
            _ = run.Completion.ContinueWith(
                static (task, state) =>
                {
                    var (runner, stuck) = ((TransformRunner, Run))state!;
                    runner.LogRunawayEnded(task);

                    // Only now is its CPU time known: a run that was merely not scheduled is not held against it.
                    if (stuck.IsGuilty(null))
                    {
                        runner.RecordBreach(stuck.Transform);
                    }
                },
                (this, run),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            var breach = new TransformBudgetExceededException(
                BudgetBreach.Time,
                $"The transform was still running {(_budget.WallTime + _budget.Grace).TotalMilliseconds:0} ms after it started, inside a call the budget checks cannot interrupt; the response went out without it.");
            LogRunaway(_logger, transform.Name, transform.FilePath, breach.Message);
            return new TransformFailure(transform.Name, transform.FilePath, 0, breach, TransformFailureKind.Runaway);
        }
        catch (Exception exception)
        {
            var line = LineOf(exception, transform.FilePath);
            if (exception is TransformBudgetExceededException budget)
            {
                LogBudgetBreached(_logger, transform.Name, transform.FilePath, line, budget.Breach, budget.Message);
                return new TransformFailure(transform.Name, transform.FilePath, line, exception, TransformFailureKind.Budget);
            }

            if (exception is System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                // Match timeouts are capped at the time the transform has left: running out is a time breach.
                LogBudgetBreached(_logger, transform.Name, transform.FilePath, line, BudgetBreach.Time, exception.Message);
                return new TransformFailure(transform.Name, transform.FilePath, line, exception, TransformFailureKind.Budget);
            }

            LogTransformFailed(_logger, exception, transform.Name, transform.FilePath, line, exception.GetType().Name, exception.Message);
            return new TransformFailure(transform.Name, transform.FilePath, line, exception);
        }
    }

    private void LogRunawayEnded(Task task)
    {
        if (task.Exception is { } exception)
        {
            LogRunawayStopped(_logger, exception.InnerException?.Message ?? exception.Message);
        }
    }

    private ILogger ScriptLogger(string transform) =>
        _scriptLoggers.GetOrAdd(transform, name => new TransformLogger(_loggerFactory.CreateLogger("Gateway.Transforms." + name), name));

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

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error,
        Message = "Transform {Transform} failed at {TransformFile}({TransformLine}): {ErrorType}: {ErrorMessage}. The response stays as it was before this transform.")]
    private static partial void LogTransformFailed(ILogger logger, Exception exception, string transform, string transformFile, int transformLine, string errorType, string errorMessage);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error,
        Message = "Transform {Transform} breached its {BudgetBreach} budget at {TransformFile}({TransformLine}): {ErrorMessage} The response stays as it was before this transform.")]
    private static partial void LogBudgetBreached(ILogger logger, string transform, string transformFile, int transformLine, BudgetBreach budgetBreach, string errorMessage);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error,
        Message = "Transform {Transform} ({TransformFile}) overran its budget: {ErrorMessage}")]
    private static partial void LogRunaway(ILogger logger, string transform, string transformFile, string errorMessage);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "A transform that overran its budget has now stopped: {ErrorMessage}")]
    private static partial void LogRunawayStopped(ILogger logger, string errorMessage);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Error,
        Message = "Transform {Transform} ({TransformFile}) breached its budget {QuarantineAfter} times within {QuarantineWindow} and is quarantined: it is skipped until its file changes")]
    private static partial void LogQuarantined(ILogger logger, string transform, string transformFile, int quarantineAfter, TimeSpan quarantineWindow);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Transform {Transform} was skipped: {ErrorMessage}")]
    private static partial void LogNoThread(ILogger logger, string transform, string errorMessage);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Transform {Transform} is quarantined: skipped")]
    private static partial void LogQuarantinedSkip(ILogger logger, string transform);

    /// <summary>One run of one transform on a script thread, under a budget that starts when the thread does.</summary>
    private sealed class Run
    {
        private readonly ExitContext _globals;
        private readonly TransformBudgetOptions _options;
        private long _cpuUsedTicks = -1; // unknown until the run ends, and where the platform does not tell

        public Run(CompiledTransform transform, ExitContext globals, TransformBudgetOptions options)
        {
            Transform = transform;
            _globals = globals;
            _options = options;
            Completion = Task.Factory.StartNew(
                static state => ((Run)state!).Execute(),
                this,
                CancellationToken.None,
                TaskCreationOptions.DenyChildAttach,
                ScriptThreads.Shared).Unwrap();
        }

        public CompiledTransform Transform { get; }

        private TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>
        /// Whether a breach counts toward quarantine. Memory and call depth always do. Time does when the run
        /// spun in its own loops (it passed <see cref="SpinningChecks"/> budget checks), spent at least half its
        /// wall-time budget on the CPU, or ran where CPU time cannot be read: on a saturated machine a
        /// well-behaved script can miss a wall-clock deadline without having used its share.
        /// </summary>
        public bool IsGuilty(Exception? breach) =>
            breach is TransformBudgetExceededException { Breach: not BudgetBreach.Time }
            || _budget?.Checks >= SpinningChecks
            || Volatile.Read(ref _cpuUsedTicks) is var used && (used < 0 || TimeSpan.FromTicks(used * 2) >= _options.WallTime);

        private const long SpinningChecks = 10_000;

        private TransformBudget? _budget;

        public Task Completion { get; }

        /// <summary>
        /// Whether a script thread picked the run up within <paramref name="limit"/>. When none did, the run is
        /// abandoned: a thread that picks it up later finds it cancelled and does not run the script.
        /// </summary>
        public async Task<bool> StartedWithin(TimeSpan limit)
        {
            try
            {
                await Started.Task.WaitAsync(limit).ConfigureAwait(false);
                return true;
            }
            catch (TimeoutException)
            {
                return !Started.TrySetCanceled();
            }
        }

        private Task Execute()
        {
            if (!Started.TrySetResult())
            {
                return Task.CompletedTask;
            }

            var budget = _budget = new TransformBudget(_options.WallTime, _options.MaxAllocatedBytes, _options.MaxCallDepth);
            var cpuAtStart = ThreadCpuTime.Now();
            try
            {
                // Scripts cannot await: the returned task is complete when InvokeAsync returns.
                return ExecutionBudget.RunWith(budget, () => Transform.InvokeAsync(_globals));
            }
            finally
            {
                Volatile.Write(ref _cpuUsedTicks, (ThreadCpuTime.Now() - cpuAtStart)?.Ticks ?? -1);
            }
        }
    }
}
