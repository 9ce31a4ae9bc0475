namespace Gateway.Scripting.Execution;

/// <summary>
/// The <c>Webhooks</c> global: a façade with no public state over the sender that queues messages, so that a library
/// that walks the global's properties (a serializer, a destructuring logger) finds nothing of the queue, its options
/// or its destinations. An alert is copied here, within the script's run and budget: its <see cref="WebhookAlert.Fields"/>
/// may be a script's own dictionary, which must neither change after the call nor run code on the delivery thread.
/// </summary>
internal sealed class ScriptWebhooks(IWebhookSender inner) : IWebhookSender
{
    public void Send(string text) => inner.Send(text);

    public void Send(string destination, string text) => inner.Send(destination, text);

    public void Send(WebhookAlert alert) => inner.Send(Snapshot(alert));

    public void Send(string destination, WebhookAlert alert) => inner.Send(destination, Snapshot(alert));

    /// <summary>The alert with its fields copied into a dictionary of the gateway's own, in their order.</summary>
    internal static WebhookAlert Snapshot(WebhookAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (alert.Fields is not { } fields)
        {
            return alert;
        }

        var copy = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in fields)
        {
            copy.Add(new KeyValuePair<string, string>(name ?? string.Empty, value ?? string.Empty));
        }

        return alert with { Fields = new OrderedFields(copy) };
    }

    // A read-only dictionary that keeps the script's order (Slack shows fields in it); lookups are linear, and a
    // message has a handful of fields.
    private sealed class OrderedFields(List<KeyValuePair<string, string>> items) : IReadOnlyDictionary<string, string>
    {
        public int Count => items.Count;

        public IEnumerable<string> Keys => items.Select(item => item.Key);

        public IEnumerable<string> Values => items.Select(item => item.Value);

        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public bool ContainsKey(string key) => TryGetValue(key, out _);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
        {
            foreach (var item in items)
            {
                if (item.Key == key)
                {
                    value = item.Value;
                    return true;
                }
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => items.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
