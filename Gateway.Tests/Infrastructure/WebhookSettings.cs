namespace Gateway.Tests.Infrastructure;

/// <summary>
/// <c>Gateway:Webhooks</c> settings for delivery tests: quick retries without jitter, a rate limit that does not get in
/// the way, one message per post (no digests), short timeouts and a short drain, unless a test changes them.
/// </summary>
internal static class WebhookSettings
{
    public const string Section = "Gateway:Webhooks";

    /// <summary>A default destination <paramref name="name"/> posting to <paramref name="url"/> (no URL: logged).</summary>
    public static Dictionary<string, string?> For(Uri? url, string name = "slack", string kind = "Slack") =>
        new Dictionary<string, string?>
        {
            [$"{Section}:Default"] = name,
            [$"{Section}:DrainTimeout"] = "00:00:02",
        }.WithDestination(name, url, kind);

    /// <summary>Adds a destination with the test defaults.</summary>
    public static Dictionary<string, string?> WithDestination(this Dictionary<string, string?> settings, string name, Uri? url, string kind = "Slack")
    {
        var prefix = $"{Section}:Destinations:{name}";
        settings[$"{prefix}:Kind"] = kind;
        settings[$"{prefix}:Url"] = url?.ToString() ?? string.Empty;
        settings[$"{prefix}:Timeout"] = "00:00:02";
        settings[$"{prefix}:RateLimit:MessagesPerSecond"] = "1000";
        settings[$"{prefix}:RateLimit:Burst"] = "1000";
        settings[$"{prefix}:Retry:MaxRetries"] = "3";
        settings[$"{prefix}:Retry:Delay"] = "00:00:00.050";
        settings[$"{prefix}:Retry:UseJitter"] = "false";
        settings[$"{prefix}:Digests"] = "false";
        return settings;
    }

    /// <summary>Sets <paramref name="key"/> (e.g. <c>Retry:Delay</c>) of destination <paramref name="name"/>.</summary>
    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, string name, string key, string value)
    {
        settings[$"{Section}:Destinations:{name}:{key}"] = value;
        return settings;
    }
}
