using System.Collections.Concurrent;

namespace Gateway.Scripting.Testing;

/// <summary>
/// An <see cref="IWebhookSender"/> that keeps every message a transform queues, in order, with its destination,
/// for a test to assert on. Nothing is delivered.
/// </summary>
/// <remarks>
/// Like the gateway's own sender, it ignores empty text and a <see langword="null"/> alert, which the gateway
/// would never deliver, so "nothing was sent" means the same here as in production.
/// </remarks>
public sealed class RecordingWebhookSender : IWebhookSender
{
    private readonly ConcurrentQueue<RecordedWebhook> _sent = new();

    /// <summary>Every message queued, in order.</summary>
    public IReadOnlyList<RecordedWebhook> Sent => [.. _sent];

    /// <summary>
    /// Every message queued, in order, as plain text: text as sent, an alert in its one-line form
    /// (<see cref="WebhookAlert.ToString"/>). Destinations are not shown; see <see cref="Sent"/> for them.
    /// </summary>
    public IReadOnlyList<string> Messages => [.. _sent.Select(webhook => webhook.Message)];

    /// <summary>Every structured alert queued, in order.</summary>
    public IReadOnlyList<WebhookAlert> Alerts => [.. _sent.Select(webhook => webhook.Alert).OfType<WebhookAlert>()];

    /// <inheritdoc />
    public void Send(string text) => Record(null, text, null);

    /// <inheritdoc />
    public void Send(string destination, string text) => Record(destination, text, null);

    /// <inheritdoc />
    public void Send(WebhookAlert alert) => Record(null, null, alert);

    /// <inheritdoc />
    public void Send(string destination, WebhookAlert alert) => Record(destination, null, alert);

    private void Record(string? destination, string? text, WebhookAlert? alert)
    {
        if (!string.IsNullOrEmpty(text) || alert is not null)
        {
            _sent.Enqueue(new RecordedWebhook(destination, text, alert));
        }
    }
}
