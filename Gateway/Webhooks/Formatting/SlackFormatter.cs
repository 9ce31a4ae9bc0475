using System.Text.Json.Nodes;

namespace Gateway.Webhooks.Formatting;

/// <summary>Slack incoming webhooks: mrkdwn text, and Block Kit attachments coloured by severity (<see cref="SlackPayload"/>).</summary>
internal sealed class SlackFormatter : IWebhookFormatter
{
    public string Kind => "Slack";

    public int MaxMessagesPerPost(WebhookDestinationOptions destination) => 1;

    public JsonNode Format(IReadOnlyList<WebhookMessage> messages, int waiting) => SlackPayload.For(messages.Single());
}
