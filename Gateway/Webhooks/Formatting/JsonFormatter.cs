using System.Text.Json.Nodes;

namespace Gateway.Webhooks.Formatting;

/// <summary>
/// Any URL that takes a JSON post: each message as plain JSON, nothing escaped (<see cref="JsonWebhookPayload"/>). By
/// default one message per post; with <c>Digests: true</c> every post is a JSON array of up to
/// <see cref="MaxDigestMessages"/> messages (most severe first), one element when only one waits.
/// </summary>
internal sealed class JsonFormatter : IWebhookFormatter
{
    public const int MaxDigestMessages = 100;

    public string Kind => "Json";

    public int MaxMessagesPerPost(WebhookDestinationOptions destination) =>
        destination.Digests ?? false ? MaxDigestMessages : 1;

    // With digests, a single message goes out as an array too: one shape per destination.
    public JsonNode Format(IReadOnlyList<WebhookMessage> messages, int waiting, WebhookDestinationOptions destination) =>
        destination.Digests ?? false
            ? new JsonArray([.. messages.Select(message => (JsonNode)JsonWebhookPayload.For(message))])
            : JsonWebhookPayload.For(messages.Single());
}
