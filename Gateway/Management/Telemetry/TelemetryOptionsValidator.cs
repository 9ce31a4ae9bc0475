using Microsoft.Extensions.Options;

namespace Gateway.Management.Telemetry;

/// <summary>Refuses an OTLP endpoint that is not an absolute http(s) URL, or an unknown protocol, naming the key.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint)
            && !(Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
        {
            failures.Add($"{TelemetryOptions.Section}:OtlpEndpoint must be an absolute http or https URL, such as http://collector:4317.");
        }

        if (!Enum.TryParse<OpenTelemetry.Exporter.OtlpExportProtocol>(options.OtlpProtocol, ignoreCase: true, out _))
        {
            failures.Add($"{TelemetryOptions.Section}:OtlpProtocol is '{options.OtlpProtocol}': it must be Grpc or HttpProtobuf.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
