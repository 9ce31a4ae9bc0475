using Gateway.Scripting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Model;

namespace Gateway.Terminations;

/// <summary>
/// Answers 413 before contacting the upstream when the declared <c>Content-Length</c> is over the route's
/// <c>MaxRequestBodySize</c> (or the server's limit). A chunked body that grows past the limit is caught
/// while it streams, and reported through the forwarder's error feature.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var length = context.Request.ContentLength;
        if (length is > 0)
        {
            var limit = context.GetReverseProxyFeature().Route.Config.MaxRequestBodySize
                ?? context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            if (limit is >= 0 && length > limit)
            {
                context.Terminate(GatewayTerminations.PayloadTooLarge);
                return Task.CompletedTask;
            }
        }

        return next(context);
    }
}
