using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Exits;
using Gateway.Transforms;
using Gateway.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;

namespace Gateway.Management.Status;

/// <summary>
/// <c>/status/transforms</c>, <c>/status/webhooks</c> and <c>/status/routes</c>: the gateway's state as JSON, read from
/// its singletons. No secret is ever in it: destinations show whether a URL is set, never the URL; API keys are not read.
/// </summary>
internal static class StatusEndpoints
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder endpoints, IServiceProvider gateway)
    {
        var catalogs = gateway.GetRequiredService<TransformCatalogProvider>();
        var observer = gateway.GetRequiredService<ExitObserver>();
        var bindings = gateway.GetRequiredService<IOptionsMonitor<TransformOptions>>();
        endpoints.MapGet("/status/transforms", () => Results.Json(TransformStatus.Read(catalogs.Current, observer.Stats, bindings.CurrentValue), Json));

        var queue = gateway.GetRequiredService<WebhookQueue>();
        var delivery = gateway.GetRequiredService<WebhookDeliveryService>();
        var counts = gateway.GetRequiredService<WebhookCounts>();
        var webhooks = gateway.GetRequiredService<IOptionsMonitor<WebhookOptions>>();
        endpoints.MapGet("/status/webhooks", () => Results.Json(WebhookStatus.Read(queue, delivery, counts, webhooks.CurrentValue), Json));

        var proxy = gateway.GetRequiredService<IProxyStateLookup>();
        endpoints.MapGet("/status/routes", () => Results.Json(RouteStatus.Read(proxy, bindings.CurrentValue, observer.Recent), Json));
        return endpoints;
    }
}
