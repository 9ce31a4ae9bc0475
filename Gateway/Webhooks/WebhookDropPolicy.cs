namespace Gateway.Webhooks;

/// <summary>Which message a full destination queue gives up.</summary>
internal enum WebhookDropPolicy
{
    /// <summary>The message being sent is dropped; what is already queued stays.</summary>
    DropNewest,

    /// <summary>The oldest queued message is dropped to make room for the new one.</summary>
    DropOldest,
}
