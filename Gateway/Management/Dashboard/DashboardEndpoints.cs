using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Management.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>: one HTML page, a script and a stylesheet, embedded in the gateway's assembly (no CDN, no
/// files to deploy, works offline). The page reads <c>/status/*</c> every two seconds.
/// </summary>
internal static class DashboardEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
    ];

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        var assembly = typeof(DashboardEndpoints).Assembly;
        foreach (var (path, resource, contentType) in Files)
        {
            using var stream = assembly.GetManifestResourceStream($"Gateway.Management.Dashboard.{resource}")
                ?? throw new InvalidOperationException($"The dashboard's {resource} is not embedded in the gateway.");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            var bytes = memory.ToArray();
            endpoints.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers["Content-Security-Policy"] = "default-src 'self'";
                return Results.Bytes(bytes, contentType);
            });
        }

        return endpoints;
    }
}
