namespace Gateway.Webhooks;

/// <summary>The <c>reason</c> tag of <c>gateway.webhooks.dropped</c>.</summary>
internal static class WebhookDropReasons
{
    /// <summary>The destination's queue was full.</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The script named a destination that is not configured.</summary>
    public const string UnknownDestination = "unknown_destination";

    /// <summary>Still queued, or in flight, when the drain deadline passed; or sent after shutdown began.</summary>
    public const string Shutdown = "shutdown";
}
