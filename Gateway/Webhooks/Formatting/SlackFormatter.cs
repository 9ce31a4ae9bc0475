using System.Text.Json.Nodes;

namespace Gateway.Webhooks.Formatting;

/// <summary>
/// Slack incoming webhooks: one message as mrkdwn text or a Block Kit alert coloured by severity
/// (<see cref="SlackPayload"/>); several waiting messages as one digest (<see cref="SlackDigest"/>), unless the
/// destination sets <c>Digests</c> to false.
/// </summary>
internal sealed class SlackFormatter : IWebhookFormatter
{
    public string Kind => "Slack";

    public int MaxMessagesPerPost(WebhookDestinationOptions destination) =>
        destination.Digests ?? true ? SlackDigest.MaxMessages : 1;

    public JsonNode Format(IReadOnlyList<WebhookMessage> messages, int waiting, WebhookDestinationOptions destination) =>
        messages.Count == 1 ? SlackPayload.For(messages[0]) : SlackDigest.For(messages, waiting);
}
