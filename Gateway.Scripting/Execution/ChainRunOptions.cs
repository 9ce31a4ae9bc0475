using Microsoft.Extensions.Logging;

namespace Gateway.Scripting.Execution;

/// <summary>
/// What one run of a chain uses instead of the runner's own services: a transform host records each call's
/// webhooks and log entries as plain data, and runs it under the budget the gateway sent with it.
/// </summary>
public sealed class ChainRunOptions
{
    /// <summary>Where this run's <c>Webhooks</c> global sends; <see langword="null"/> for the runner's.</summary>
    public IWebhookSender? Webhooks { get; init; }

    /// <summary>The <c>Log</c> global of each transform of this run; <see langword="null"/> for the runner's.</summary>
    public Func<int, CompiledTransform, ILogger>? Log { get; init; }

    /// <summary>The budget of this run; <see langword="null"/> for the runner's.</summary>
    public TransformBudgetOptions? Budget { get; init; }

    /// <summary>Called with a transform's index in the chain just before it starts.</summary>
    public Action<int>? Starting { get; init; }

    /// <summary>Called with a transform's index in the chain when it returned (threw or not) before its deadline.</summary>
    public Action<int>? Finished { get; init; }

    /// <summary>
    /// Takes the chain's hand-off instead of the thread pool: the caller runs the work it is given
    /// (<see cref="IThreadPoolWorkItem.Execute"/>) on a thread of its own choosing, and the task
    /// <see cref="TransformRunner.RunAsync(IReadOnlyList{CompiledTransform}, ExitResponse, RequestInfo, ChainRunOptions?)"/>
    /// returned completes on that thread, inline, when the chain ends there. A transform host's reader runs each call
    /// itself this way: no thread is woken per call. The watchdog watches the work from the moment it is handed over,
    /// as it watches queued work; a chain it cuts goes on, from the transform after the stuck one, through the pool,
    /// and a chain with a transform once stuck in a library call still runs on the dedicated threads.
    /// <see langword="null"/> for the thread pool.
    /// </summary>
    public Action<IThreadPoolWorkItem>? HandOff { get; init; }
}
