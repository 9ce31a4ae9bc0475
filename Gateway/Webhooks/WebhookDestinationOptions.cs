namespace Gateway.Webhooks;

/// <summary>One webhook destination.</summary>
internal sealed class WebhookDestinationOptions
{
    /// <summary>How messages are shaped for it.</summary>
    public WebhookKind Kind { get; set; } = WebhookKind.Slack;

    /// <summary>
    /// The webhook URL: a secret, never logged. Empty means "log the message instead of sending it".
    /// Set it from the environment: <c>Gateway__Webhooks__Destinations__slack__Url</c>.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>How long one delivery may take before it is abandoned.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
