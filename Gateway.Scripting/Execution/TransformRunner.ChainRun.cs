using System.Diagnostics;
using System.Threading.Tasks.Sources;
using Gateway.Scripting.Sandbox;

namespace Gateway.Scripting.Execution;

public sealed partial class TransformRunner
{
    /// <summary>
    /// A chain, from one transform on, run in one hand-off. The watchdog gives it up when it waits for a script
    /// thread, or one transform runs, longer than the budget plus its grace: the request then goes on from the
    /// response as it was before that transform, while the stuck call finishes out of its way.
    /// </summary>
    /// <remarks>
    /// The run is also what the request awaits (<see cref="Completion"/>, a source of its own rather than a task
    /// completion source: one hand-off per chain, not two). A chain that ends on a thread-pool thread resumes the
    /// request right there, once the watchdog has let the run go; one ended by the watchdog, or on a dedicated
    /// script thread, resumes it through the thread pool, so that neither thread ever runs the request's code.
    /// </remarks>
    private sealed class ChainRun : ScriptWork, IValueTaskSource
    {
        private readonly TransformRunner _runner;
        private readonly IReadOnlyList<CompiledTransform> _chain;
        private readonly RequestInfo _request;
        private readonly ChainRunOptions? _options;
        private readonly TransformBudgetOptions _budget;
        private readonly IWebhookSender _webhooks;
        private readonly TimeProvider _time;
        private readonly long _limit;
        private readonly object _gate = new();
        private ManualResetValueTaskSourceCore<bool> _done;
        private int _completed;
        private bool _endedHere;
        private Exception? _fault;
        private State _state = State.Queued;
        private long _transformStartedAt;
        private int _next;
        private bool _abandonedWhileQueued;
        private bool _holdsPoolThread;
        private int _watchFailureLogged;

        // The watchdog's first look at the transform now running: when, and the thread's CPU time then.
        private int _sampled = -1;
        private long _sampledAt;
        private TimeSpan? _cpuAtSample;

        public ChainRun(TransformRunner runner, IReadOnlyList<CompiledTransform> chain, int start, ExitResponse response, RequestInfo request, List<TransformFailure>? failures, ChainRunOptions? options)
            : base(runner._execution.Watchdog)
        {
            _runner = runner;
            _chain = chain;
            _next = start;
            Start = start;
            _request = request;
            _options = options;
            _budget = options?.Budget ?? runner._budget;
            _webhooks = options?.Webhooks is { } webhooks ? new ScriptWebhooks(webhooks) : runner._webhooks;
            _time = runner._execution.Time;
            // In whole ticks of the clock, scaled without rounding error: a deadline is exact on a fake clock too.
            _limit = (long)((_budget.WallTime + _budget.Grace).Ticks * (_time.TimestampFrequency / (double)TimeSpan.TicksPerSecond));
            Response = response;
            Failures = failures;
        }

        private enum State
        {
            Queued,    // watched from QueuedAt
            Running,   // a transform's own code runs; watched from _transformStartedAt
            Between,   // the runner's own work between transforms; not watched
            Done,
            Abandoned, // given up by the watchdog; the script thread must not touch the results
        }

        /// <summary>The index of the transform the run starts from.</summary>
        public int Start { get; }

        /// <summary>The response after the last transform that completed.</summary>
        public ExitResponse Response { get; private set; }

        /// <summary>The failures so far, if any.</summary>
        public List<TransformFailure>? Failures { get; private set; }

        /// <summary>Once complete: the index of the transform the chain goes on from, or the chain's length.</summary>
        public int ResumeAt { get; private set; }

        /// <summary>
        /// Whether a chain that ends on the thread running it resumes the caller right there, whatever the thread:
        /// set for a run a caller took (<see cref="ChainRunOptions.HandOff"/>), which chose that thread for it.
        /// </summary>
        public bool CompletesInline { get; set; }

        /// <summary>Completes when the chain has run or been given up; awaited once.</summary>
        public ValueTask Completion => new(this, _done.Version);

        public override bool IsSettled
        {
            get
            {
                lock (_gate)
                {
                    return _state is State.Done or State.Abandoned;
                }
            }
        }

        protected override void Run()
        {
            try
            {
                RunChain();
            }
            catch (Exception exception)
            {
                // The runner's own fault, not a script's (those are caught around each run): the request sees it
                // as a gateway error rather than waiting for ever, and the thread lives on.
                lock (_gate)
                {
                    if (_state == State.Abandoned)
                    {
                        return;
                    }

                    _state = State.Done;
                }

                _fault = exception;
                _endedHere = true;
            }
        }

        protected override void Finished()
        {
            if (_endedHere)
            {
                // On a pool thread (or the caller's own) the request goes on here, as if the chain had run in its own code.
                Complete(_fault, asynchronously: !(CompletesInline || Thread.CurrentThread.IsThreadPoolThread));
            }
        }

        void IValueTaskSource.GetResult(short token) => _done.GetResult(token);

        ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _done.GetStatus(token);

        void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _done.OnCompleted(continuation, state, token, flags);

        /// <summary>Completes <see cref="Completion"/> once; later calls do nothing.</summary>
        private void Complete(Exception? fault, bool asynchronously)
        {
            if (Interlocked.Exchange(ref _completed, 1) != 0)
            {
                return;
            }

            _done.RunContinuationsAsynchronously = asynchronously;
            if (fault is null)
            {
                _done.SetResult(true);
            }
            else
            {
                _done.SetException(fault);
            }
        }

        private void RunChain()
        {
            if (!TryMove(State.Queued, State.Between))
            {
                return; // given up while it waited for a thread
            }

            for (; _next < _chain.Count; _next++)
            {
                var transform = _chain[_next];
                if (_runner._quarantine.IsQuarantined(transform))
                {
                    (Failures ??= []).Add(_runner.Quarantined(transform));
                    continue;
                }

                // Copies, so that a transform that fails halfway leaves no trace in what the next one sees: the
                // headers are copied when the transform first changes them (most change one, or none).
                var globals = new ExitContext(
                    Response.Status,
                    Response.Body?.DeepClone(),
                    Response.Text,
                    Response.Headers.CopyOnWrite(),
                    _request,
                    _webhooks,
                    _options?.Log?.Invoke(_next, transform) ?? _runner.ScriptLogger(transform.Name));

                var options = _budget;
                _options?.Starting?.Invoke(_next);
                Exception? error = null;
                lock (_gate)
                {
                    _transformStartedAt = _time.GetTimestamp();
                    _state = State.Running;
                }

                var budget = new TransformBudget(options.WallTime, options.MaxAllocatedBytes, options.MaxCallDepth);
                try
                {
                    // Scripts cannot await: the task is complete when InvokeAsync returns.
                    ExecutionBudget.RunWith(budget, (transform, globals), static state => state.transform.InvokeAsync(state.globals))
                        .GetAwaiter().GetResult();
                }
                catch (Exception exception)
                {
                    error = exception;
                }

                if (!TryMove(State.Running, State.Between))
                {
                    lock (_gate)
                    {
                        if (_holdsPoolThread)
                        {
                            _holdsPoolThread = false;
                            _runner._execution.Compensation.Release();
                        }
                    }

                    _runner.RunawayEnded(transform, error, budget, CpuShare());
                    return;
                }

                _options?.Finished?.Invoke(_next);
                if (error is null)
                {
                    Response = new ExitResponse(globals.Status, globals.Body, globals.Text, globals.Headers);
                    continue;
                }

                TransformFailure failure;
                try
                {
                    failure = _runner.Failed(transform, error);
                }
#pragma warning disable CA1031 // A log sink that throws must not turn a script's failure into the request's.
                catch (Exception)
#pragma warning restore CA1031
                {
                    failure = new TransformFailure(transform.Name, transform.FilePath, 0, error,
                        error is TransformBudgetExceededException ? TransformFailureKind.Budget : TransformFailureKind.Exception);
                }

                (Failures ??= []).Add(failure);
                if (failure.Kind == TransformFailureKind.Budget && IsGuilty(failure.Exception, budget, CpuShare()))
                {
                    _runner.RecordBreach(transform);
                }
            }

            TryMove(State.Between, State.Done);
            ResumeAt = _chain.Count;
            _endedHere = true;
        }

        public override bool Watch(long now)
        {
            State was;
            lock (_gate)
            {
                was = _state;
                if (was is State.Done or State.Abandoned)
                {
                    return false;
                }

                if (was == State.Running && _sampled != _next)
                {
                    // CPU share is a matter of real time, whatever clock the deadlines are read from.
                    _sampled = _next;
                    _sampledAt = Stopwatch.GetTimestamp();
                    _cpuAtSample = CpuClock is { } clock ? ThreadCpuTime.Read(clock) : null;
                }

                var since = was switch
                {
                    State.Queued => QueuedAt,
                    State.Running => _transformStartedAt,
                    _ => now,
                };
                if (now - since <= _limit)
                {
                    return true;
                }

                _state = State.Abandoned;
                _abandonedWhileQueued = was == State.Queued;
                ResumeAt = _abandonedWhileQueued ? _chain.Count : _next + 1;

                // The stuck call holds a pool thread until it returns: the pool gets another meanwhile, so that
                // this request, and the others, go on.
                if (was == State.Running && RunningThread is { IsThreadPoolThread: true })
                {
                    _holdsPoolThread = true;
                    _runner._execution.Compensation.Hold();
                }
            }

            try
            {
                // Logged in the request's context, so that the entries carry its trace id.
                InContext(static work => ((ChainRun)work).RecordAbandonment());
            }
            finally
            {
                // Whatever happened above, the request goes on: through the pool, never on the watchdog's thread.
                Complete(null, asynchronously: true);
            }

            return false;
        }

        public override void WatchFailed(Exception exception)
        {
            // Once per run: the watchdog looks again every tick.
            if (Interlocked.Exchange(ref _watchFailureLogged, 1) == 0)
            {
                TransformLog.WatchdogFailed(_runner._logger, exception, exception.Message);
            }
        }

        private void RecordAbandonment()
        {
            if (_abandonedWhileQueued)
            {
                for (var i = _next; i < _chain.Count; i++)
                {
                    (Failures ??= []).Add(_runner.NoThread(_chain[i], _budget));
                }
            }
            else
            {
                (Failures ??= []).Add(_runner.Runaway(_chain[_next], _budget));
            }
        }

        /// <summary>
        /// The share of wall time the transform just run spent on the CPU since the watchdog first saw it, read on
        /// its own thread; <see langword="null"/> where unknown: it ended before the watchdog looked, or the
        /// platform does not tell. Read only after a breach: each reading is a system call.
        /// </summary>
        private double? CpuShare()
        {
            long sampledAt;
            TimeSpan? cpuAtSample;
            lock (_gate)
            {
                if (_sampled != _next)
                {
                    return null;
                }

                (sampledAt, cpuAtSample) = (_sampledAt, _cpuAtSample);
            }

            var wall = Stopwatch.GetElapsedTime(sampledAt);
            return cpuAtSample is { } start && ThreadCpuTime.Now() is { } end && wall > TimeSpan.Zero
                ? (end - start) / wall
                : null;
        }

        private bool TryMove(State from, State to)
        {
            lock (_gate)
            {
                if (_state != from)
                {
                    return false;
                }

                _state = to;
                return true;
            }
        }
    }
}
