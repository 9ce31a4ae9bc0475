using Gateway.Hosting;
using Gateway.Scripting.Sandbox;

namespace Gateway.Isolation;

internal sealed partial class TransformHostPool
{
    // 2001-2006 are the runner's own events, logged here for the runs the hosts made, with the same ids and text.
    [LoggerMessage(EventId = EventIds.TransformFailed, Level = LogLevel.Error,
        Message = "Transform {Transform} failed at {TransformFile}({TransformLine}): {ErrorType}: {ErrorMessage}. The response stays as it was before this transform.")]
    private static partial void LogTransformFailed(ILogger logger, string transform, string transformFile, int transformLine, string errorType, string errorMessage);

    [LoggerMessage(EventId = EventIds.TransformBudgetBreached, Level = LogLevel.Error,
        Message = "Transform {Transform} breached its {BudgetBreach} budget at {TransformFile}({TransformLine}): {ErrorMessage} The response stays as it was before this transform.")]
    private static partial void LogBudgetBreached(ILogger logger, string transform, string transformFile, int transformLine, BudgetBreach budgetBreach, string errorMessage);

    [LoggerMessage(EventId = EventIds.TransformOverran, Level = LogLevel.Error,
        Message = "Transform {Transform} ({TransformFile}) overran its budget: {ErrorMessage}")]
    private static partial void LogRunaway(ILogger logger, string transform, string transformFile, string errorMessage);

    [LoggerMessage(EventId = EventIds.TransformQuarantined, Level = LogLevel.Error,
        Message = "Transform {Transform} ({TransformFile}) breached its budget {QuarantineAfter} times within {QuarantineWindow} and is quarantined: it is skipped until its file changes")]
    private static partial void LogQuarantined(ILogger logger, string transform, string transformFile, int quarantineAfter, TimeSpan quarantineWindow);

    [LoggerMessage(EventId = EventIds.TransformQuarantinedSkip, Level = LogLevel.Debug, Message = "Transform {Transform} is quarantined: skipped")]
    private static partial void LogQuarantinedSkip(ILogger logger, string transform);

    [LoggerMessage(EventId = EventIds.TransformHostsStarted, Level = LogLevel.Information,
        Message = "Transform hosts started: {HostCount} serving and one spare, each with a {MemoryLimitMegabytes} MB heap")]
    private static partial void LogPoolStarted(ILogger logger, int hostCount, int memoryLimitMegabytes);

    [LoggerMessage(EventId = EventIds.TransformHostStarted, Level = LogLevel.Debug, Message = "Transform host {HostNumber} started, process {ProcessId}")]
    private static partial void LogHostStarted(ILogger logger, int hostNumber, int processId);

    [LoggerMessage(EventId = EventIds.TransformHostCrashed, Level = LogLevel.Error,
        Message = "Transform host {HostNumber} crashed while running transform {Transform} ({TransformFile}): {ErrorMessage}")]
    private static partial void LogHostCrashed(ILogger logger, int hostNumber, string transform, string transformFile, string errorMessage);

    [LoggerMessage(EventId = EventIds.TransformHostReplaced, Level = LogLevel.Warning, Message = "Transform host {HostNumber} is replaced because {Reason}; host {ReplacementNumber} takes its place")]
    private static partial void LogHostReplaced(ILogger logger, int hostNumber, string reason, int replacementNumber);

    [LoggerMessage(EventId = EventIds.TransformHostKilled, Level = LogLevel.Error, Message = "Transform host {HostNumber} still held a call {KillDeadlineMilliseconds:0} ms after its deadline and was killed")]
    private static partial void LogHostKilled(ILogger logger, int hostNumber, double killDeadlineMilliseconds);

    [LoggerMessage(EventId = EventIds.TransformHostsWarmUpSlow, Level = LogLevel.Warning, Message = "The transform hosts were not warm within {TimeoutSeconds:0} s of start-up ({ErrorMessage}); the first calls may be slow")]
    private static partial void LogWarmUpSlow(ILogger logger, double timeoutSeconds, string errorMessage);

    [LoggerMessage(EventId = EventIds.TransformHostEnded, Level = LogLevel.Warning, Message = "Transform host {HostNumber} ended on its own with exit code {ExitCode}; its last output: {ErrorTail}")]
    private static partial void LogHostEnded(ILogger logger, int hostNumber, int? exitCode, string errorTail);

    [LoggerMessage(EventId = EventIds.TransformHostStuckStopped, Level = LogLevel.Warning, Message = "Transform host {HostNumber}, replaced because a transform got stuck in it, is stopped; its last output: {ErrorTail}")]
    private static partial void LogStuckHostStopped(ILogger logger, int hostNumber, string errorTail);
}
