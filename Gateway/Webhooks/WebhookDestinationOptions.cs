namespace Gateway.Webhooks;

/// <summary>One destination under <c>Gateway:Webhooks:Destinations:&lt;name&gt;</c>.</summary>
internal sealed class WebhookDestinationOptions
{
    /// <summary>
    /// How messages are shaped for it: the <see cref="Formatting.IWebhookFormatter.Kind"/> of a registered formatter,
    /// <c>Slack</c> (the default) or <c>Json</c>.
    /// </summary>
    public string Kind { get; set; } = "Slack";

    /// <summary>
    /// The webhook URL: a secret, never logged. Empty means "log the message instead of sending it".
    /// Set it from the environment: <c>Gateway__Webhooks__Destinations__slack__Url</c>.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>How long one HTTP attempt may take before it is abandoned (and retried).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many messages may wait for this destination; past it, <see cref="DropPolicy"/> decides.</summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>Which message a full queue drops.</summary>
    public WebhookDropPolicy DropPolicy { get; set; } = WebhookDropPolicy.DropOldest;

    /// <summary>
    /// Alerts with the same fold key within this window after the first are folded into one follow-up message with
    /// their count. <see cref="TimeSpan.Zero"/> turns folding off.
    /// </summary>
    public TimeSpan FoldWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Opt-in: when a storm (alerts that were folded) has been quiet this long, one notice says it is over, with how many
    /// times it occurred and when (Slack: green). <see cref="TimeSpan.Zero"/>, the default, sends none. Needs folding.
    /// </summary>
    public TimeSpan ResolveAfter { get; set; }

    /// <summary>
    /// Whether messages that wait for the rate limit go out together in one post. Unset, the kind decides:
    /// <c>Slack</c> sends a digest (Block Kit, most severe first) when more than one waits; <c>Json</c> posts one message
    /// at a time, and with <c>true</c> posts every time a JSON array.
    /// </summary>
    public bool? Digests { get; set; }

    /// <summary>Pacing of HTTP attempts.</summary>
    public WebhookRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Retries of failed deliveries.</summary>
    public WebhookRetryOptions Retry { get; set; } = new();
}
