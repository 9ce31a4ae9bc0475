namespace Gateway.Webhooks;

/// <summary>A message waiting in the queue for its destination.</summary>
/// <param name="Destination">The destination's name.</param>
/// <param name="Text">The message text.</param>
/// <param name="QueuedAt">When the script sent it.</param>
internal sealed record WebhookMessage(string Destination, string Text, DateTimeOffset QueuedAt);
