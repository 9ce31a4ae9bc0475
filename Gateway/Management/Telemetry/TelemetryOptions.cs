namespace Gateway.Management.Telemetry;

/// <summary>The <c>Gateway:Telemetry</c> section: where traces and metrics are pushed, besides <c>/metrics</c>.</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Gateway:Telemetry";

    /// <summary>
    /// An OTLP collector's endpoint (for example <c>http://collector:4317</c>). Set, it turns on tracing and pushes
    /// traces and metrics there. Empty (the default) leaves tracing off; the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable turns it on as well.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>Grpc</c> (the default, port 4317) or <c>HttpProtobuf</c> (port 4318, paths <c>/v1/traces</c>, <c>/v1/metrics</c>).</summary>
    public string OtlpProtocol { get; set; } = "Grpc";

    /// <summary>The service name on every span and metric (<c>service.name</c>).</summary>
    public string ServiceName { get; set; } = "gateway";
}
