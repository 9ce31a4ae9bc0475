using System.Text.Json.Nodes;

namespace Gateway.Webhooks.Formatting;

/// <summary>Any URL that takes a JSON post: each message as plain JSON, nothing escaped (<see cref="JsonWebhookPayload"/>).</summary>
internal sealed class JsonFormatter : IWebhookFormatter
{
    public string Kind => "Json";

    public int MaxMessagesPerPost(WebhookDestinationOptions destination) => 1;

    public JsonNode Format(IReadOnlyList<WebhookMessage> messages, int waiting) => JsonWebhookPayload.For(messages.Single());
}
