using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Gateway.Terminations;
using Gateway.Transforms;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Exits;

/// <summary>
/// Answers a termination the gateway produced itself: builds the <c>{"message": "..."}</c> response, has the
/// <see cref="ExitChain"/> run the chain that the global and route bindings' filters select for its status over
/// it, and writes the result once.
/// </summary>
internal sealed class TerminationResponder(TransformCatalogProvider catalogs, ExitChain exits)
{
    public async Task RespondAsync(HttpContext context, GatewayTermination termination)
    {
        var routeId = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId;
        exits.Record(routeId, termination.Kind);

        var original = new ExitResponse(
            termination.Status,
            new JsonObject { ["message"] = termination.Message },
            null,
            // What earlier stages set (WWW-Authenticate, Retry-After...) is part of the response the transforms see.
            ExitHeaders.From(context.Response.Headers, includeContentType: false));

        var chain = catalogs.Current.ChainFor(routeId, termination.Status, TerminationSources.Gateway);
        var exit = await exits.RunAsync(context, routeId, termination.Kind, original, chain);
        if (!exits.TryPayload(exit, chain, out var payload))
        {
            exit = original;
            payload = ExitPayload.From(original);
        }

        context.Features.Set(new ExitOutcomeFeature(ExitSource.Gateway, termination.Kind));
        await ExitResponseWriter.WriteAsync(context, exit, payload);
    }
}
