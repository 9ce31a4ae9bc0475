namespace Gateway.Scripting;

/// <summary>
/// Queues notifications to the webhook destinations configured for the gateway (a Slack incoming webhook, or any
/// URL that takes JSON). Destinations and their URLs live in configuration, never in scripts; a script names a
/// destination or uses the default one.
/// </summary>
/// <remarks>
/// Sending only enqueues: it returns at once, never blocks the request and never throws into the script. Delivery
/// happens in the background, with retries, pacing and folding of repeated alerts. Empty text is ignored, and a
/// destination name that is not configured is counted and logged (once per name), not thrown.
/// </remarks>
public interface IWebhookSender
{
    /// <summary>Queues <paramref name="text"/> for the default destination.</summary>
    /// <param name="text">The message text. Slack renders it as mrkdwn.</param>
    void Send(string text);

    /// <summary>Queues <paramref name="text"/> for the destination named <paramref name="destination"/>.</summary>
    /// <param name="destination">A name under <c>Gateway:Webhooks:Destinations</c>, matched case-insensitively.</param>
    /// <param name="text">The message text. Slack renders it as mrkdwn.</param>
    void Send(string destination, string text);

    /// <summary>Queues a structured <paramref name="alert"/> for the default destination.</summary>
    /// <param name="alert">The alert: title, text, fields, severity and an optional fold key.</param>
    void Send(WebhookAlert alert);

    /// <summary>Queues a structured <paramref name="alert"/> for the destination named <paramref name="destination"/>.</summary>
    /// <param name="destination">A name under <c>Gateway:Webhooks:Destinations</c>, matched case-insensitively.</param>
    /// <param name="alert">The alert: title, text, fields, severity and an optional fold key.</param>
    void Send(string destination, WebhookAlert alert);
}
