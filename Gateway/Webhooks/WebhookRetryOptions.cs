namespace Gateway.Webhooks;

/// <summary>
/// <c>Retry</c> of a destination: how often and how patiently a failed delivery is tried again. Network errors,
/// timeouts, 408, 429 and 5xx are retried, with exponential backoff and jitter; a <c>Retry-After</c> header wins.
/// </summary>
internal sealed class WebhookRetryOptions
{
    /// <summary>Retries after the first attempt; 0 turns retrying off.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>The backoff's first delay; each next one doubles it.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay. A <c>Retry-After</c> header is honoured even when it is longer.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether delays are spread randomly around the exponential curve, so retries do not come in waves.</summary>
    public bool UseJitter { get; set; } = true;
}
