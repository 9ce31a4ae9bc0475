using System.Collections.Concurrent;
using Gateway.Scripting;

namespace Gateway.Tests.Scripting;

/// <summary>An <see cref="IWebhookSender"/> that keeps every message a script sends, in order.</summary>
internal sealed class RecordingWebhookSender : IWebhookSender
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public void Send(string text) => _messages.Enqueue(text);
}
