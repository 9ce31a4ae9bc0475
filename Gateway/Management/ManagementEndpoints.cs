using Gateway.Management.Dashboard;
using Gateway.Management.Health;
using Gateway.Management.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;

namespace Gateway.Management;

/// <summary>What the management listener serves. Nothing here runs a transform or touches the proxy's pipeline.</summary>
internal static class ManagementEndpoints
{
    public static IEndpointRouteBuilder MapManagementEndpoints(this IEndpointRouteBuilder endpoints, IServiceProvider gateway)
    {
        // Alive: the process answers. Only checks tagged "live" run (none by default), so a slow dependency can
        // never get a healthy gateway restarted.
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Live),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });

        // Ready: every check tagged "ready"; 503 with the JSON naming what is not ready.
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthResponseWriter.WriteAsync,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });

        endpoints.MapPrometheusScrapingEndpoint("/metrics", gateway.GetRequiredService<MeterProvider>(), configureBranchedPipeline: null, optionsName: null);
        endpoints.MapStatusEndpoints(gateway);
        endpoints.MapDashboard();
        return endpoints;
    }
}
