using Gateway.Scripting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Terminations;

/// <summary>Ends a request that no route matched with a 404, after routing has had its say.</summary>
internal sealed class NoRouteMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is null)
        {
            context.Terminate(GatewayTerminations.NoRoute);
            return Task.CompletedTask;
        }

        return next(context);
    }
}
