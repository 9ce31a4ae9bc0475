using Gateway.Hosting;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Microsoft.AspNetCore.Http;
using Serilog;

namespace Gateway.Exits;

/// <summary>
/// The tail both responders share, whatever started the termination: records it on the request's log event, runs
/// the chain over the response as it was built (observed by <see cref="ExitObserver"/>), and turns what the chain
/// left into bytes, falling back to the response as it was before the chain when that cannot be written. The
/// responders keep only what differs: how the response before the chain is built, and how the result goes out.
/// </summary>
internal sealed partial class ExitChain(
    ITransformChainRunner runner,
    ExitObserver observer,
    IDiagnosticContext diagnostics,
    RequestLogSwitch requestLog,
    ILogger<ExitChain> logger)
{
    /// <summary>Records the termination on the request's log event; call once, before <see cref="RunAsync"/>.</summary>
    public void Record(string? routeId, TerminationKind kind)
    {
        diagnostics.Set("TerminationKind", kind);
        diagnostics.Set("RouteId", routeId);
    }

    /// <summary>
    /// Runs <paramref name="chain"/> over <paramref name="original"/>, and returns what it left: the original itself
    /// when the chain is empty, or when it left a status that cannot end a response (logged as
    /// <see cref="TryPayload"/> logs a body that cannot be written).
    /// </summary>
    /// <param name="context">The request being answered.</param>
    /// <param name="routeId">Its route, null for none.</param>
    /// <param name="kind">The termination's kind.</param>
    /// <param name="original">The response before the chain.</param>
    /// <param name="chain">The transforms the bindings selected, in order.</param>
    /// <param name="upstreamStatus">The upstream's own status, for an upstream's response.</param>
    public async Task<ExitResponse> RunAsync(
        HttpContext context, string? routeId, TerminationKind kind, ExitResponse original, IReadOnlyList<CompiledTransform> chain, int? upstreamStatus = null)
    {
        if (chain.Count == 0)
        {
            return original;
        }

        var request = RequestInfoFactory.Create(context, routeId, kind, upstreamStatus);
        var activity = ExitObserver.StartChain(routeId, kind, original.Status, chain);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await runner.RunAsync(chain, original, request);
        observer.ChainCompleted(activity, routeId, chain, result, started);
        if (requestLog.IsOn)
        {
            diagnostics.Set("Transforms", chain.Select(t => t.Name).ToArray());
        }

        if (result.Failures.Count > 0 && requestLog.IsOn)
        {
            diagnostics.Set("TransformFailures", result.Failures.Select(f => f.Transform).ToArray());
        }

        if (!ExitResponseWriter.IsFinalStatus(result.Response.Status))
        {
            // Transforms cannot set one (their setter refuses it); this guards whatever else builds a response.
            var error = new InvalidOperationException($"{result.Response.Status} is not a final status (200-599)");
            LogUnwritable(logger, error, string.Join(", ", chain.Select(t => t.Name)), error.Message);
            return original;
        }

        return result.Response;
    }

    /// <summary>
    /// The bytes <paramref name="exit"/> is written with; <see langword="false"/>, logged with the same event whatever
    /// the source, when its body cannot be written (JSON cannot represent a NaN, say). The caller then answers with the
    /// response as it was before the chain.
    /// </summary>
    /// <param name="exit">What the chain left (for an upstream's response, with the content type it will be written with).</param>
    /// <param name="chain">The chain that left it, for the log.</param>
    /// <param name="payload">The bytes and content type, when writable.</param>
    public bool TryPayload(ExitResponse exit, IReadOnlyList<CompiledTransform> chain, out ExitPayload payload)
    {
        try
        {
            payload = ExitPayload.From(exit);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            LogUnwritable(logger, e, string.Join(", ", chain.Select(t => t.Name)), e.Message);
            payload = default;
            return false;
        }
    }

    [LoggerMessage(EventId = EventIds.ExitUnwritable, Level = LogLevel.Error,
        Message = "The transforms {Transforms} left a response that cannot be written ({ErrorMessage}); answering with the response as it was before them")]
    private static partial void LogUnwritable(Microsoft.Extensions.Logging.ILogger logger, Exception exception, string transforms, string errorMessage);
}
