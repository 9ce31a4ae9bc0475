using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Scripting.Execution;

/// <summary>
/// Runs a chain of compiled transforms over a response, in order, each seeing the output of the one before.
/// A transform that throws is skipped: the response stays as it was before it, and the failure is logged
/// with the transform's file and line.
/// </summary>
public sealed partial class TransformRunner
{
    private readonly IWebhookSender _webhooks;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ILogger> _scriptLoggers = new(StringComparer.Ordinal);

    /// <summary>Creates a runner.</summary>
    /// <param name="webhooks">What scripts' <c>Webhooks</c> global sends to.</param>
    /// <param name="loggerFactory">Creates the loggers for the runner and for scripts' <c>Log</c> global.</param>
    public TransformRunner(IWebhookSender webhooks, ILoggerFactory? loggerFactory = null)
    {
        _webhooks = webhooks ?? throw new ArgumentNullException(nameof(webhooks));
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<TransformRunner>();
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
            // Copies, so that a transform that throws halfway leaves no trace in what the next one sees.
            var globals = new ExitContext(
                response.Status,
                response.Body?.DeepClone(),
                response.Text,
                response.Headers.Clone(),
                request,
                _webhooks,
                ScriptLogger(transform.Name));
            try
            {
                await transform.InvokeAsync(globals).ConfigureAwait(false);
                response = new ExitResponse(globals.Status, globals.Body, globals.Text, globals.Headers);
            }
            catch (Exception exception)
            {
                var failure = new TransformFailure(transform.Name, transform.FilePath, LineOf(exception, transform.FilePath), exception);
                LogTransformFailed(_logger, exception, transform.Name, failure.File, failure.Line, exception.GetType().Name, exception.Message);
                (failures ??= []).Add(failure);
            }
        }

        return new TransformChainResult(response, failures ?? (IReadOnlyList<TransformFailure>)[]);
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
}
