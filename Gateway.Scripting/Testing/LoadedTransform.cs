using Gateway.Scripting.Compilation;
using Gateway.Scripting.Execution;
using Microsoft.Extensions.Logging;

namespace Gateway.Scripting.Testing;

/// <summary>A transform compiled from its file by <see cref="TransformLoader"/>, ready to run over made-up terminations.</summary>
public sealed class LoadedTransform
{
    private readonly TransformBudgetOptions _budget;
    private readonly ILoggerFactory? _loggerFactory;

    internal LoadedTransform(CompiledTransform compiled, IReadOnlyList<TransformDiagnostic> diagnostics, TransformBudgetOptions budget, ILoggerFactory? loggerFactory)
    {
        Compiled = compiled;
        Diagnostics = diagnostics;
        _budget = budget;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The transform's name as the gateway logs it: its path relative to the transforms folder, e.g. <c>arr.csx</c>.</summary>
    public string Name => Compiled.Name;

    /// <summary>The full path of its file.</summary>
    public string FilePath => Compiled.FilePath;

    /// <summary>The warnings the compiler reported; a transform with errors does not load.</summary>
    public IReadOnlyList<TransformDiagnostic> Diagnostics { get; }

    /// <summary>The compiled transform, for use with <see cref="TransformRunner"/> directly.</summary>
    public CompiledTransform Compiled { get; }

    /// <summary>
    /// Runs the transform once over <paramref name="input"/> through the gateway's <see cref="TransformRunner"/>, with
    /// its fail-open and budget rules, and a fresh <see cref="RecordingWebhookSender"/>.
    /// </summary>
    /// <param name="input">The termination the transform sees.</param>
    /// <returns>The response it left, its failure if it failed, and the webhooks it queued.</returns>
    public Task<TransformRunResult> RunAsync(Termination input) =>
        new TransformChain([this], _budget, _loggerFactory).RunAsync(input);

    /// <inheritdoc />
    public override string ToString() => Name;
}
