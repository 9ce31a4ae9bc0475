using System.Text.Json.Nodes;

namespace Gateway.Webhooks.Formatting;

/// <summary>
/// Shapes messages into the body a destination of one <see cref="Kind"/> takes. One implementation per kind
/// (<see cref="SlackFormatter"/>, <see cref="JsonFormatter"/>), registered in <c>AddWebhooks</c>: a new kind (Microsoft
/// Teams, Discord) is one new file and one registration, and its name becomes a valid <c>Kind</c> at once.
/// </summary>
internal interface IWebhookFormatter
{
    /// <summary>The destination's <c>Kind</c> in configuration, matched case-insensitively, e.g. <c>Slack</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// The most messages one post to <paramref name="destination"/> may carry: 1 when the kind (or the destination's
    /// settings) posts one message at a time, more when waiting messages can go out together as a digest.
    /// </summary>
    int MaxMessagesPerPost(WebhookDestinationOptions destination);

    /// <summary>
    /// The body of one post for <paramref name="messages"/> (at most <see cref="MaxMessagesPerPost"/>, most severe
    /// first), within the destination's limits. <paramref name="waiting"/> is how many more are still queued behind them.
    /// </summary>
    JsonNode Format(IReadOnlyList<WebhookMessage> messages, int waiting, WebhookDestinationOptions destination);
}
