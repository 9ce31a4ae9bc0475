namespace Gateway.Webhooks;

/// <summary>How a destination expects its messages.</summary>
internal enum WebhookKind
{
    /// <summary>A Slack incoming webhook: <c>{"text": "..."}</c>.</summary>
    Slack,
}
