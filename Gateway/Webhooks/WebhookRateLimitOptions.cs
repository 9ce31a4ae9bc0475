namespace Gateway.Webhooks;

/// <summary>
/// <c>RateLimit</c> of a destination: a token bucket that every HTTP attempt (retries included) takes a token from.
/// Slack allows about one message a second per webhook, with short bursts.
/// </summary>
internal sealed class WebhookRateLimitOptions
{
    /// <summary>Tokens added per second.</summary>
    public double MessagesPerSecond { get; set; } = 1;

    /// <summary>The bucket's size: how many messages may go out back to back after a quiet spell.</summary>
    public int Burst { get; set; } = 3;
}
