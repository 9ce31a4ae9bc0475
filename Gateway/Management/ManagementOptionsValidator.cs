using Microsoft.Extensions.Options;

namespace Gateway.Management;

/// <summary>Refuses a <c>Gateway:Management:Urls</c> entry that is not an absolute http URL, naming the key.</summary>
internal sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var url in options.Enabled ? options.UrlList : [])
        {
            // Kestrel's wildcard hosts (http://*:8100, http://+:8100) are not valid URIs, but are valid addresses.
            var parsed = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(parsed, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
            {
                failures.Add($"{ManagementOptions.Section}:Urls has '{url}': each entry must be an http URL with a host and a port and no path, such as http://localhost:8100 (empty turns the listener off).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
