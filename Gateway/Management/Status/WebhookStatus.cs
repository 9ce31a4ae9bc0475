using Gateway.Webhooks;

namespace Gateway.Management.Status;

/// <summary>One destination as <c>/status/webhooks</c> shows it. The URL is a secret: only whether one is set.</summary>
internal sealed record WebhookStatus(
    string Name,
    string Kind,
    bool UrlConfigured,
    bool IsDefault,
    int QueueLength,
    int QueueCapacity,
    long Queued,
    long Sent,
    long Folded,
    long Dropped,
    long Failed,
    long Retried,
    DateTimeOffset? LastSuccess,
    WebhookDeliveryFailure? LastFailure)
{
    public static IReadOnlyList<WebhookStatus> Read(WebhookQueue queue, WebhookDeliveryService delivery, WebhookCounts counts, WebhookOptions options)
    {
        var workers = delivery.Workers.ToDictionary(w => w.Name, StringComparer.OrdinalIgnoreCase);
        return [.. queue.Destinations.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d =>
        {
            workers.TryGetValue(d.Name, out var worker);
            return new WebhookStatus(
                d.Name,
                d.Options.Kind.ToString(),
                !string.IsNullOrWhiteSpace(d.Options.Url),
                string.Equals(d.Name, options.Default, StringComparison.OrdinalIgnoreCase),
                d.Count,
                d.Options.QueueCapacity,
                counts.Total(d.Name, "queued"),
                counts.Total(d.Name, "sent"),
                counts.Total(d.Name, "folded"),
                counts.Total(d.Name, "dropped"),
                counts.Total(d.Name, "failed"),
                counts.Total(d.Name, "retried"),
                worker?.LastSuccess,
                worker?.LastFailure);
        })];
    }
}
