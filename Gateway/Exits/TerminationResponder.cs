using Gateway.Hosting;
using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Gateway.Terminations;
using Gateway.Transforms;
using Microsoft.AspNetCore.Http;
using Serilog;
using Yarp.ReverseProxy.Model;

namespace Gateway.Exits;

/// <summary>
/// Answers a termination the gateway produced itself: builds the <c>{"message": "..."}</c> response, runs the
/// chain that the global and route bindings' filters select for its status over it, and writes the result once.
/// </summary>
internal sealed partial class TerminationResponder(
    TransformCatalogProvider catalogs,
    ITransformChainRunner runner,
    ExitObserver observer,
    IDiagnosticContext diagnostics,
    ILogger<TerminationResponder> logger)
{
    public async Task RespondAsync(HttpContext context, GatewayTermination termination)
    {
        var routeId = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId;
        diagnostics.Set("TerminationKind", termination.Kind);
        diagnostics.Set("RouteId", routeId);

        var original = new ExitResponse(
            termination.Status,
            new JsonObject { ["message"] = termination.Message },
            null,
            // What earlier stages set (WWW-Authenticate, Retry-After...) is part of the response the transforms see.
            ExitHeaders.From(context.Response.Headers, includeContentType: false));

        var exit = original;
        var chain = catalogs.Current.ChainFor(routeId, termination.Status, TerminationSources.Gateway);
        if (chain.Count > 0)
        {
            var request = RequestInfoFactory.Create(context, routeId, termination.Kind);
            var activity = ExitObserver.StartChain(routeId, termination.Kind, termination.Status, chain);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var result = await runner.RunAsync(chain, original, request);
            observer.ChainCompleted(activity, routeId, chain, result, started);
            exit = result.Response;
            diagnostics.Set("Transforms", chain.Select(t => t.Name).ToArray());
            if (result.Failures.Count > 0)
            {
                diagnostics.Set("TransformFailures", result.Failures.Select(f => f.Transform).ToArray());
            }
        }

        ExitPayload payload;
        try
        {
            if (!ExitResponseWriter.IsFinalStatus(exit.Status))
            {
                throw new InvalidOperationException($"{exit.Status} is not a final status (200-599)");
            }

            payload = ExitPayload.From(exit);
        }
        catch (Exception e) when (!ReferenceEquals(exit, original))
        {
            LogUnserializableBody(logger, e, string.Join(", ", chain.Select(t => t.Name)), e.Message);
            exit = original;
            payload = ExitPayload.From(original);
        }

        context.Features.Set(new ExitOutcomeFeature(ExitSource.Gateway, termination.Kind));
        await ExitResponseWriter.WriteAsync(context, exit, payload);
    }

    [LoggerMessage(EventId = EventIds.GatewayExitUnwritable, Level = LogLevel.Error,
        Message = "The transforms {Transforms} left a response that cannot be written ({ErrorMessage}); answering with the response as it was before them")]
    private static partial void LogUnserializableBody(Microsoft.Extensions.Logging.ILogger logger, Exception exception, string transforms, string errorMessage);
}
