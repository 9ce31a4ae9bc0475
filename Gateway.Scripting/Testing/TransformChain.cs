using Gateway.Scripting.Execution;
using Microsoft.Extensions.Logging;

namespace Gateway.Scripting.Testing;

/// <summary>
/// Several loaded transforms run in order, each seeing the output of the one before, as a binding's list runs
/// in the gateway: <c>new TransformChain([problemDetails, slackAlert]).RunAsync(input)</c>.
/// </summary>
public sealed class TransformChain
{
    private readonly IReadOnlyList<CompiledTransform> _transforms;
    private readonly TransformBudgetOptions _budget;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Creates a chain.</summary>
    /// <param name="transforms">The transforms, in the order they run.</param>
    /// <param name="budget">The budget of each run; <see langword="null"/> for the default of <see cref="TransformLoaderOptions.Budget"/>.</param>
    /// <param name="loggerFactory">Receives scripts' and the runner's logs; <see langword="null"/> for none.</param>
    public TransformChain(IEnumerable<LoadedTransform> transforms, TransformBudgetOptions? budget = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        _transforms = [.. transforms.Select(transform => transform.Compiled)];
        _budget = budget ?? new TransformLoaderOptions().Budget;
        _budget.Validate();
        _loggerFactory = loggerFactory;
    }

    /// <summary>Runs the chain once over <paramref name="input"/>, with a fresh <see cref="RecordingWebhookSender"/>.</summary>
    /// <param name="input">The termination the first transform sees.</param>
    /// <returns>The response the chain left, the failures met on the way, and the webhooks queued.</returns>
    public async Task<TransformRunResult> RunAsync(Termination input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var webhooks = new RecordingWebhookSender();

        // A new runner per run, with threads of its own that end with it: quarantine records from one test cannot
        // skip a transform in the next, and no thread outlives the run but one still stuck in a call.
        using var runner = new TransformRunner(webhooks, _loggerFactory, _budget);
        var result = await runner.RunAsync(_transforms, input.ToExitResponse(), input.ToRequestInfo()).ConfigureAwait(false);
        return new TransformRunResult(result.Response, result.Failures, webhooks);
    }
}
