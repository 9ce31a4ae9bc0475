using System.Diagnostics;

namespace Gateway.Management.Telemetry;

/// <summary>The names the gateway's own telemetry is published under, and the meters and sources it exports.</summary>
internal static class GatewayTelemetry
{
    /// <summary>The gateway's meter (<c>Gateway</c>): exits, transforms, webhooks.</summary>
    public const string MeterName = "Gateway";

    /// <summary>The built-in meters exported besides the gateway's own.</summary>
    public static readonly string[] BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting",         // http.server.request.duration, active requests
        "Microsoft.AspNetCore.Server.Kestrel",  // connections
        "Microsoft.AspNetCore.RateLimiting",    // leases, rejections
        "System.Net.Http",                      // http.client.*: every forwarded request (YARP's HttpMessageInvoker)
        "System.Net.NameResolution",
        "System.Runtime",                       // GC, thread pool, CPU, memory (built into .NET 9+)
    ];

    /// <summary>The activity sources traced besides ASP.NET Core's and HttpClient's.</summary>
    public static readonly string[] Sources = [Exits.ExitTelemetry.SourceName, "Yarp.ReverseProxy"];
}
