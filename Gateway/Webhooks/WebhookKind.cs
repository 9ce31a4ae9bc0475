namespace Gateway.Webhooks;

/// <summary>How a destination expects its messages.</summary>
internal enum WebhookKind
{
    /// <summary>A Slack incoming webhook: <c>{"text": ...}</c>, and Block Kit attachments for alerts.</summary>
    Slack,

    /// <summary>Any URL that takes a JSON post: <c>{"text": ...}</c>, or an alert's title, text, fields and severity.</summary>
    Json,
}
