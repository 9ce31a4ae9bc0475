using Gateway.Transforms;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Exits;

/// <summary>
/// The exit middleware's counterpart for the upstream's own responses: a YARP response transform, run when the
/// upstream's status and headers arrive. It decides from the status alone, before the body is touched: 1xx, 2xx
/// and every status no binding of the route wants return at once, and stream through untouched and unbuffered.
/// The rest go to the <see cref="UpstreamResponder"/>.
/// </summary>
/// <remarks>
/// YARP builds route transforms when <c>MapReverseProxy</c> runs, before start-up validation; the responder (and
/// the options it reads) is therefore resolved on the first response that needs it, so that an invalid
/// <c>Gateway:Transforms</c> section is reported by validation, not from inside YARP's configuration load.
/// </remarks>
internal sealed class UpstreamExitTransform(string routeId, TransformCatalogProvider catalogs, IServiceProvider services) : ResponseTransform
{
    private UpstreamResponder? _responder;

    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // No response: the forwarder failed, and the exit middleware answers from IForwarderErrorFeature.
        if (context.ProxyResponse is not { } upstream)
        {
            return ValueTask.CompletedTask;
        }

        var status = (int)upstream.StatusCode;
        if (status is < StatusFilter.Lowest or > StatusFilter.Highest)
        {
            return ValueTask.CompletedTask;
        }

        // Read once, so a swap of the catalog never changes the chain under this response.
        var catalog = catalogs.Current;
        if (!catalog.HasChainFor(routeId, status, TerminationSources.Upstream))
        {
            return ValueTask.CompletedTask;
        }

        _responder ??= services.GetRequiredService<UpstreamResponder>();
        return new ValueTask(_responder.RespondAsync(context, upstream, routeId, catalog.ChainFor(routeId, status, TerminationSources.Upstream)));
    }
}
