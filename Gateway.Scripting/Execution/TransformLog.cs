using Gateway.Scripting.Sandbox;
using Microsoft.Extensions.Logging;

namespace Gateway.Scripting.Execution;

/// <summary>
/// The log messages of a transform's run, with their event ids (20xx), written by the in-process
/// <see cref="TransformRunner"/> and, for the runs its transform hosts made, by the gateway's host pool: one text
/// per event, so that a transform's failure reads the same in both modes.
/// </summary>
public static partial class TransformLog
{
    /// <summary>A transform threw.</summary>
    public const int TransformFailedId = 2001;

    /// <summary>A transform breached its time, memory or call-depth budget.</summary>
    public const int BudgetBreachedId = 2002;

    /// <summary>A transform was still running past its budget and grace, or its host crashed or hung.</summary>
    public const int OverranId = 2003;

    /// <summary>A transform that overran has since stopped.</summary>
    public const int OverrunStoppedId = 2004;

    /// <summary>A transform is quarantined.</summary>
    public const int QuarantinedId = 2005;

    /// <summary>A quarantined transform was skipped.</summary>
    public const int QuarantinedSkipId = 2006;

    /// <summary>A transform was skipped: no thread picked it up within its budget.</summary>
    public const int NotRunId = 2007;

    /// <summary>The watchdog failed while watching a chain.</summary>
    public const int WatchdogFailedId = 2008;

    /// <summary>Logs that a transform threw: the response stays as it was before it.</summary>
    /// <param name="logger">Where to write.</param>
    /// <param name="exception">What it threw, where there is one to show.</param>
    /// <param name="transform">The transform's name.</param>
    /// <param name="transformFile">Its file.</param>
    /// <param name="transformLine">The line it failed at, or 0.</param>
    /// <param name="errorType">The name of the exception's type.</param>
    /// <param name="errorMessage">The exception's message.</param>
    [LoggerMessage(EventId = TransformFailedId, Level = LogLevel.Error,
        Message = "Transform {Transform} failed at {TransformFile}({TransformLine}): {ErrorType}: {ErrorMessage}. The response stays as it was before this transform.")]
    public static partial void TransformFailed(ILogger logger, Exception? exception, string transform, string transformFile, int transformLine, string errorType, string errorMessage);

    /// <summary>Logs that a transform breached its budget: the response stays as it was before it.</summary>
    /// <param name="logger">Where to write.</param>
    /// <param name="transform">The transform's name.</param>
    /// <param name="transformFile">Its file.</param>
    /// <param name="transformLine">The line it breached at, or 0.</param>
    /// <param name="budgetBreach">Which budget.</param>
    /// <param name="errorMessage">What the breach says.</param>
    [LoggerMessage(EventId = BudgetBreachedId, Level = LogLevel.Error,
        Message = "Transform {Transform} breached its {BudgetBreach} budget at {TransformFile}({TransformLine}): {ErrorMessage} The response stays as it was before this transform.")]
    public static partial void BudgetBreached(ILogger logger, string transform, string transformFile, int transformLine, BudgetBreach budgetBreach, string errorMessage);

    /// <summary>Logs that a transform overran its budget where no check could stop it, and was answered without.</summary>
    /// <param name="logger">Where to write.</param>
    /// <param name="transform">The transform's name.</param>
    /// <param name="transformFile">Its file.</param>
    /// <param name="errorMessage">How it overran.</param>
    [LoggerMessage(EventId = OverranId, Level = LogLevel.Error,
        Message = "Transform {Transform} ({TransformFile}) overran its budget: {ErrorMessage}")]
    public static partial void Overran(ILogger logger, string transform, string transformFile, string errorMessage);

    /// <summary>Logs that a transform which overran has now stopped.</summary>
    /// <param name="logger">Where to write.</param>
    /// <param name="errorMessage">How it stopped.</param>
    [LoggerMessage(EventId = OverrunStoppedId, Level = LogLevel.Warning, Message = "A transform that overran its budget has now stopped: {ErrorMessage}")]
    public static partial void OverrunStopped(ILogger logger, string errorMessage);

    /// <summary>Logs that a transform is quarantined.</summary>
    /// <param name="logger">Where to write.</param>
    /// <param name="transform">The transform's name.</param>
    /// <param name="transformFile">Its file.</param>
    /// <param name="quarantineAfter">The breaches that quarantine.</param>
    /// <param name="quarantineWindow">The window they count in.</param>
    [LoggerMessage(EventId = QuarantinedId, Level = LogLevel.Error,
        Message = "Transform {Transform} ({TransformFile}) breached its budget {QuarantineAfter} times within {QuarantineWindow} and is quarantined: it is skipped until its file changes")]
    public static partial void Quarantined(ILogger logger, string transform, string transformFile, int quarantineAfter, TimeSpan quarantineWindow);

    /// <summary>Logs that a quarantined transform was skipped.</summary>
    /// <param name="logger">Where to write.</param>
    /// <param name="transform">The transform's name.</param>
    [LoggerMessage(EventId = QuarantinedSkipId, Level = LogLevel.Debug, Message = "Transform {Transform} is quarantined: skipped")]
    public static partial void QuarantinedSkip(ILogger logger, string transform);

    /// <summary>Logs that a transform was skipped because no thread picked it up in time.</summary>
    /// <param name="logger">Where to write.</param>
    /// <param name="transform">The transform's name.</param>
    /// <param name="errorMessage">Why.</param>
    [LoggerMessage(EventId = NotRunId, Level = LogLevel.Warning, Message = "Transform {Transform} was skipped: {ErrorMessage}")]
    public static partial void NotRun(ILogger logger, string transform, string errorMessage);

    /// <summary>Logs that the watchdog failed while watching a chain.</summary>
    /// <param name="logger">Where to write.</param>
    /// <param name="exception">What it threw.</param>
    /// <param name="errorMessage">Its message.</param>
    [LoggerMessage(EventId = WatchdogFailedId, Level = LogLevel.Error, Message = "The transform watchdog failed while watching a chain, which it may no longer cut at its deadline: {ErrorMessage}")]
    public static partial void WatchdogFailed(ILogger logger, Exception exception, string errorMessage);
}
