namespace Gateway.Webhooks;

/// <summary>A destination's last failed delivery, as the status API shows it.</summary>
/// <param name="At">When it failed.</param>
/// <param name="Status">The HTTP status the destination answered, or null for a network error or a timeout.</param>
/// <param name="ErrorCode">The destination's answer (Slack's error code, such as <c>invalid_payload</c>), cut to 200 characters.</param>
/// <param name="Reason">What went wrong, in one line, with any URL redacted.</param>
internal sealed record WebhookDeliveryFailure(DateTimeOffset At, int? Status, string? ErrorCode, string Reason);
