using System.Text.Json.Serialization;

namespace Gateway.Webhooks;

/// <summary>The body of a Slack incoming-webhook post.</summary>
internal sealed record SlackPayload([property: JsonPropertyName("text")] string Text);

[JsonSerializable(typeof(SlackPayload))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
