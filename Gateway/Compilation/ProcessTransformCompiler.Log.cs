using Gateway.Hosting;

namespace Gateway.Compilation;

internal sealed partial class ProcessTransformCompiler
{
    [LoggerMessage(EventId = EventIds.CompilerStarted, Level = LogLevel.Information, Message = "Compiler process {ProcessId} started for {TransformsFolder}")]
    private static partial void LogCompilerStarted(ILogger logger, int processId, string transformsFolder);

    [LoggerMessage(EventId = EventIds.CompilerIdleStopped, Level = LogLevel.Information, Message = "Compiler process {ProcessId} stopped after {IdleTimeout} without a compile; the next compile starts another")]
    private static partial void LogCompilerIdle(ILogger logger, int processId, TimeSpan idleTimeout);

    [LoggerMessage(EventId = EventIds.CompilerKilled, Level = LogLevel.Error, Message = "Compiler process {ProcessId} killed: compiling {TransformFile} took longer than its deadline of {Deadline}")]
    private static partial void LogCompilerKilled(ILogger logger, int processId, string transformFile, TimeSpan deadline);

    [LoggerMessage(EventId = EventIds.CompilerFailed, Level = LogLevel.Error, Message = "Compiling {TransformFile} failed: {Reason}")]
    private static partial void LogCompilerFailed(ILogger logger, string transformFile, string reason);
}
