using Gateway.Hosting;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Sandbox;

namespace Gateway.Isolation;

internal sealed partial class TransformHostPool
{
    // The runs the hosts made are logged with the in-process runner's own messages (Gateway.Scripting's
    // TransformLog: same ids, same text), so that a transform's failure reads the same in both modes.
    // No exception to show: the host sent its type and message, which the text carries.
    private static void LogTransformFailed(ILogger logger, string transform, string transformFile, int transformLine, string errorType, string errorMessage) =>
        TransformLog.TransformFailed(logger, null, transform, transformFile, transformLine, errorType, errorMessage);

    private static void LogBudgetBreached(ILogger logger, string transform, string transformFile, int transformLine, BudgetBreach budgetBreach, string errorMessage) =>
        TransformLog.BudgetBreached(logger, transform, transformFile, transformLine, budgetBreach, errorMessage);

    private static void LogRunaway(ILogger logger, string transform, string transformFile, string errorMessage) =>
        TransformLog.Overran(logger, transform, transformFile, errorMessage);

    private static void LogQuarantined(ILogger logger, string transform, string transformFile, int quarantineAfter, TimeSpan quarantineWindow) =>
        TransformLog.Quarantined(logger, transform, transformFile, quarantineAfter, quarantineWindow);

    private static void LogQuarantinedSkip(ILogger logger, string transform) =>
        TransformLog.QuarantinedSkip(logger, transform);

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
