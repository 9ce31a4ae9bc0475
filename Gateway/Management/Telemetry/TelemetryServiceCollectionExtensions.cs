using Gateway.Management.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers OpenTelemetry: every meter of the gateway, ASP.NET Core, Kestrel, HttpClient and the runtime, read by
/// the Prometheus exporter behind <c>/metrics</c>; and, when an OTLP endpoint is configured, traces (ASP.NET Core,
/// YARP, HttpClient, one span per transform chain) and metrics pushed there.
/// </summary>
internal static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());

        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var endpoint = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? options.OtlpEndpoint : configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        var otlp = Uri.TryCreate(endpoint, UriKind.Absolute, out var otlpUri) ? otlpUri : null;
        var protocol = Enum.TryParse<OtlpExportProtocol>(options.OtlpProtocol, ignoreCase: true, out var parsed) ? parsed : OtlpExportProtocol.Grpc;
        void Otlp(OtlpExporterOptions exporter, string signal)
        {
            exporter.Protocol = protocol;

            // With http/protobuf, a base endpoint given in code is used as is; the signal's path is added here.
            exporter.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf && otlpUri!.AbsolutePath == "/"
                ? new Uri(otlpUri, signal)
                : otlpUri!;
        }

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(GatewayTelemetry.MeterName).AddMeter(GatewayTelemetry.BuiltInMeters);

                // Scrapes answer what was recorded up to that moment; no cached answer hides a count.
                metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(exporter => Otlp(exporter, "v1/metrics"));
                }
            });

        // Tracing only when it goes somewhere: recording spans no one reads would cost every request. Trace ids exist
        // either way (TraceIdActivityListener), so logs and problem bodies carry the same id as the trace.
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.Sources)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter(exporter => Otlp(exporter, "v1/traces")));
        }

        return services;
    }
}
