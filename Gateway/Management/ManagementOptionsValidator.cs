using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Management;

/// <summary>
/// Refuses a <c>Gateway:Management:Urls</c> entry that is not an absolute http URL, or that takes a port the proxy's
/// <c>Urls</c> listens on, naming the key.
/// </summary>
internal sealed class ManagementOptionsValidator(IConfiguration configuration) : IValidateOptions<ManagementOptions>
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
            else if (uri.Port != 0 && ProxyPorts().Contains(uri.Port))
            {
                failures.Add($"{ManagementOptions.Section}:Urls has port {uri.Port}, which Urls (the proxy) listens on too: the management listener needs a port of its own.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private HashSet<int> ProxyPorts() =>
        [.. (configuration["Urls"] ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(url => url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal))
            .Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Port : 0)
            .Where(port => port != 0)];
}
