namespace Gateway.Webhooks;

/// <summary>
/// The <c>reason</c> tag of <c>gateway.webhooks.dropped</c>, and of <c>gateway.webhooks.terminations_lost</c>, which adds
/// <see cref="Failed"/> and <see cref="Rejected"/>.
/// </summary>
internal static class WebhookDropReasons
{
    /// <summary>The destination's queue was full.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The script named a destination that is not configured.</summary>
    public const string UnknownDestination = "unknown_destination";

    /// <summary>Still queued, or in flight, when the drain deadline passed; or sent after shutdown began.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>Given up on after retries (5xx, 408, 429, timeouts, network errors).</summary>
    public const string Failed = "failed";

    /// <summary>Refused by the destination for good (a 4xx such as Slack's 400 <c>invalid_payload</c>).</summary>
    public const string Rejected = "rejected";
}
