using Gateway.Hosting;
using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Gateway.Terminations;
using Gateway.Transforms;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Serilog;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Exits;

/// <summary>
/// Answers an upstream's non-2xx response that a binding wants: reads its body within the limit, runs the chain
/// over it, then either lets the original body stream through (with the status and headers the chain left) or
/// suppresses it and has the exit middleware write the body the chain wrote.
/// </summary>
internal sealed partial class UpstreamResponder(
    IOptionsMonitor<TransformOptions> options,
    ExitChain exits,
    ExitMetrics metrics,
    IDiagnosticContext diagnostics,
    ILogger<UpstreamResponder> logger)
{
    public async Task RespondAsync(ResponseTransformContext context, HttpResponseMessage upstream, string routeId, IReadOnlyList<CompiledTransform> chain)
    {
        var http = context.HttpContext;
        var status = (int)upstream.StatusCode;
        http.Features.Get<UpstreamTimingFeature>()?.MarkAnswered();
        exits.Record(routeId, TerminationKind.UpstreamResponse);
        diagnostics.Set("UpstreamStatus", status);

        var limit = options.CurrentValue.MaxUpstreamBodyBytes;
        var body = await UpstreamBodyReader.ReadAsync(upstream, http.Request.Method, limit, context.CancellationToken);
        var view = UpstreamBodyDecoder.Decode(body, upstream.Content.Headers, limit);
        var original = new ExitResponse(status, view.Json, view.Text, ExitHeaders.From(http.Response.Headers, includeContentType: true));

        var exit = await exits.RunAsync(http, routeId, TerminationKind.UpstreamResponse, original, chain, status);

        // A status that forbids a body (204, 304) cannot carry the original one through.
        var rewrite = BodyChanged(original, exit) || (exit.Status != status && !ExitResponseWriter.MayHaveBody(exit.Status));
        if (rewrite && exits.TryPayload(WithoutStaleContentType(original, exit), chain, out var payload))
        {
            context.SuppressResponseBody = true;
            http.Features.Set(new UpstreamExitFeature(exit, payload));
        }
        else
        {
            // Untouched body; or a body that cannot be written, in which case the upstream's response goes as it came.
            if (rewrite)
            {
                exit = original;
            }

            ApplyStatusAndHeaders(http, original, exit);

            if (body.Consumed)
            {
                upstream.Content = body.Replay(upstream.Content);
            }

            rewrite = false;
        }

        var changed = rewrite || (exit.Status != status) || !HeadersEqual(original.Headers, exit.Headers);
        http.Features.Set(new ExitOutcomeFeature(changed ? ExitSource.Transform : ExitSource.Upstream, TerminationKind.UpstreamResponse));
        diagnostics.Set("UpstreamBody", view.Outcome);
        diagnostics.Set("UpstreamBodyRewritten", rewrite);
        metrics.UpstreamResponse(status, view.Outcome, rewrite);
        if (view.Outcome is UpstreamBodyOutcome.TooLarge or UpstreamBodyOutcome.Streaming or UpstreamBodyOutcome.Undecodable)
        {
            LogNotBuffered(logger, status, view.Outcome, limit, rewrite);
        }
    }

    // The runner hands each transform copies, so an unchanged body compares equal, not identical.
    private static bool BodyChanged(ExitResponse before, ExitResponse after) =>
        !string.Equals(before.Text, after.Text, StringComparison.Ordinal) || !JsonNode.DeepEquals(before.Body, after.Body);

    private static bool HeadersEqual(ResponseHeaders before, ResponseHeaders after) =>
        before.Count == after.Count
        && before.Names.All(name => after.Contains(name) && before.GetValues(name).SequenceEqual(after.GetValues(name), StringComparer.Ordinal));

    // Text written over an upstream body that was not text (JSON, bytes, a body too large to read) would otherwise
    // go out under the upstream's Content-Type; unless a transform chose one, it goes as text/plain.
    private static ExitResponse WithoutStaleContentType(ExitResponse original, ExitResponse exit)
    {
        var declared = exit.Headers[HeaderNames.ContentType];
        if (exit.Text is null || original.Text is not null || declared is null
            || !string.Equals(declared, original.Headers[HeaderNames.ContentType], StringComparison.OrdinalIgnoreCase))
        {
            return exit;
        }

        var headers = exit.Headers.Clone();
        headers.Remove(HeaderNames.ContentType);
        return exit with { Headers = headers };
    }

    private static void ApplyStatusAndHeaders(HttpContext context, ExitResponse original, ExitResponse exit)
    {
        if (exit.Status != original.Status)
        {
            context.Response.StatusCode = exit.Status;
            context.Features.GetRequiredFeature<IHttpResponseFeature>().ReasonPhrase = null;
        }

        ExitHeaders.Apply(context.Response.Headers, original.Headers, exit.Headers);
    }

    [LoggerMessage(EventId = EventIds.UpstreamBodyNotBuffered, Level = LogLevel.Debug,
        Message = "The upstream's {UpstreamStatus} body was not buffered for the transforms ({UpstreamBody}, limit {MaxUpstreamBodyBytes} bytes); rewritten by them: {UpstreamBodyRewritten}")]
    private static partial void LogNotBuffered(Microsoft.Extensions.Logging.ILogger logger, int upstreamStatus, UpstreamBodyOutcome upstreamBody, int maxUpstreamBodyBytes, bool upstreamBodyRewritten);
}
