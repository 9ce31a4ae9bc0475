using Gateway.Webhooks.Formatting;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// Checks <c>Gateway:Webhooks</c> at start-up, with one message per problem. Messages name the setting and never
/// repeat a URL, which is a secret.
/// </summary>
internal sealed class WebhookOptionsValidator(WebhookFormatters formatters) : IValidateOptions<WebhookOptions>
{
    private const string Section = WebhookOptions.Section;

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        var failures = new List<string>();
        if (options.Destinations.Count > 0 && !options.Destinations.Keys.Contains(options.Default, StringComparer.OrdinalIgnoreCase))
        {
            failures.Add($"{Section}:Default names '{options.Default}', which is not under {Section}:Destinations.");
        }

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            failures.Add($"{Section}:DrainTimeout must not be negative.");
        }

        if (options.WarningInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:WarningInterval must be positive.");
        }

        foreach (var (destination, settings) in options.Destinations)
        {
            Validate($"{Section}:Destinations:{destination}", settings, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void Validate(string prefix, WebhookDestinationOptions destination, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(destination.Url) &&
            !(Uri.TryCreate(destination.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            failures.Add($"{prefix}:Url must be an absolute http or https URL (its value is a secret and is not shown).");
        }

        if (!formatters.Has(destination.Kind))
        {
            failures.Add($"{prefix}:Kind must be one of {string.Join(", ", formatters.Kinds.Order(StringComparer.Ordinal))}.");
        }

        // Polly's timeout strategy accepts 10 ms to one day.
        if (destination.Timeout < TimeSpan.FromMilliseconds(10) || destination.Timeout > TimeSpan.FromDays(1))
        {
            failures.Add($"{prefix}:Timeout must be between 00:00:00.010 and 1.00:00:00.");
        }

        if (destination.QueueCapacity <= 0)
        {
            failures.Add($"{prefix}:QueueCapacity must be positive.");
        }

        if (!Enum.IsDefined(destination.DropPolicy))
        {
            failures.Add($"{prefix}:DropPolicy must be DropNewest or DropOldest.");
        }

        if (destination.FoldWindow < TimeSpan.Zero)
        {
            failures.Add($"{prefix}:FoldWindow must not be negative (zero turns folding off).");
        }

        if (destination.ResolveAfter < TimeSpan.Zero || (destination.ResolveAfter > TimeSpan.Zero && destination.FoldWindow <= TimeSpan.Zero))
        {
            failures.Add($"{prefix}:ResolveAfter must not be negative, and needs FoldWindow (zero sends no resolved notices).");
        }

        if (!(destination.RateLimit.MessagesPerSecond > 0) || double.IsInfinity(destination.RateLimit.MessagesPerSecond))
        {
            failures.Add($"{prefix}:RateLimit:MessagesPerSecond must be a positive number.");
        }

        if (destination.RateLimit.Burst <= 0)
        {
            failures.Add($"{prefix}:RateLimit:Burst must be positive.");
        }

        var retry = destination.Retry;
        if (retry.MaxRetries < 0)
        {
            failures.Add($"{prefix}:Retry:MaxRetries must not be negative (zero turns retrying off).");
        }

        if (retry.Delay < TimeSpan.Zero || retry.Delay > TimeSpan.FromDays(1))
        {
            failures.Add($"{prefix}:Retry:Delay must be between 00:00:00 and 1.00:00:00.");
        }

        if (retry.MaxDelay < retry.Delay)
        {
            failures.Add($"{prefix}:Retry:MaxDelay must not be shorter than Retry:Delay.");
        }
    }
}
