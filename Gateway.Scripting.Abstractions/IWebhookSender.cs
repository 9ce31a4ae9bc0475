namespace Gateway.Scripting;

/// <summary>
/// Queues notifications to the webhook destinations configured for the gateway (a Slack incoming webhook,
/// for example). Destinations and their URLs live in configuration, never in scripts.
/// </summary>
/// <remarks>
/// Sending only enqueues: it returns at once, never blocks the request and never throws into the script.
/// Delivery happens in the background.
/// </remarks>
public interface IWebhookSender
{
    /// <summary>Queues <paramref name="text"/> for the default destination.</summary>
    /// <param name="text">The message text. Slack renders it as mrkdwn.</param>
    void Send(string text);
}
