using Microsoft.Extensions.Options;

namespace Gateway.DemoUpstream;

/// <summary>Refuses, when the demo upstream is on, a <c>Url</c> that is not an absolute http URL.</summary>
internal sealed class DemoUpstreamOptionsValidator : IValidateOptions<DemoUpstreamOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoUpstreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !options.Enabled || (Uri.TryCreate(options.Url, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttp)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{DemoUpstreamOptions.Section}:Url is '{options.Url}'; it must be an absolute http URL such as http://127.0.0.1:8001.");
    }
}
