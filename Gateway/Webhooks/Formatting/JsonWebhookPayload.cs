using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.Webhooks.Formatting;

/// <summary>
/// The body of a post to a generic JSON webhook: the message as plain JSON, not escaped for any chat markup.
/// Text: <c>{"text", "terminations", "timestamp"}</c>. An alert: <c>{"text", "title", "severity", "fields",
/// "terminations", "timestamp"}</c>. A follow-up adds <c>"folded": {"count", "seconds"}</c> and puts the follow-up
/// sentence in front of <c>text</c>. <c>terminations</c> is how many terminations the message stands for.
/// </summary>
internal static class JsonWebhookPayload
{
    public static JsonObject For(WebhookMessage message)
    {
        var alert = message.Alert;
        var text = alert?.Text ?? message.Text ?? string.Empty;
        var payload = new JsonObject
        {
            ["text"] = message.ResolvedSummary is { } resolved ? $"{resolved}: {text}" : message.IsFollowUp ? $"{message.FoldedSummary}: {text}" : text,
        };
        if (alert is not null)
        {
            payload["title"] = alert.Title;
            payload["severity"] = alert.Severity.ToString().ToLowerInvariant();
            var fields = new JsonObject();
            foreach (var (name, value) in alert.Fields ?? new Dictionary<string, string>())
            {
                fields[name] = value;
            }

            payload["fields"] = fields;
        }

        if (message.IsFollowUp)
        {
            payload["folded"] = new JsonObject
            {
                ["count"] = message.FoldedCount,
                ["seconds"] = Math.Round(message.FoldedOver.TotalSeconds, 3),
                ["from"] = message.FoldedSpan.From.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["to"] = message.FoldedSpan.To.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            };
        }

        if (message.Resolved is { } storm)
        {
            payload["resolved"] = new JsonObject
            {
                ["occurrences"] = storm.Occurrences,
                ["from"] = storm.From.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["to"] = storm.To.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            };
        }

        payload["terminations"] = message.Terminations;
        payload["timestamp"] = message.QueuedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        return payload;
    }
}
