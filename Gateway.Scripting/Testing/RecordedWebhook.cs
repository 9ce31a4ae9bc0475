namespace Gateway.Scripting.Testing;

/// <summary>One message a transform queued through its <c>Webhooks</c> global, as a <see cref="RecordingWebhookSender"/> saw it.</summary>
/// <param name="Destination">The destination the script named, or <see langword="null"/> for the default one.</param>
/// <param name="Text">The text sent, or <see langword="null"/> when an alert was sent.</param>
/// <param name="Alert">The alert sent, or <see langword="null"/> when text was sent.</param>
public sealed record RecordedWebhook(string? Destination, string? Text, WebhookAlert? Alert)
{
    /// <summary>The message as a plain-text destination would get it: the text, or the alert's one-line form.</summary>
    public string Message => Text ?? Alert?.ToString() ?? string.Empty;

    /// <summary>Formats the message as <c>destination: message</c>, with <c>(default)</c> for the default destination.</summary>
    /// <returns>The message and where it went.</returns>
    public override string ToString() => $"{Destination ?? "(default)"}: {Message}";
}
