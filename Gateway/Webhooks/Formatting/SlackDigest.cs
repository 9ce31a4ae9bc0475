using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Scripting;

namespace Gateway.Webhooks.Formatting;

/// <summary>
/// Several waiting messages as one Slack post, in Block Kit: a header with how many alerts and terminations it stands
/// for, one line per severity count, one section per message (most severe first, then oldest), and "…and N more" when
/// more are still waiting; as an attachment coloured by the most severe. Within Slack's limits by construction:
/// at most <see cref="MaxMessages"/> sections plus three blocks (under 50), each message's section cut to
/// <see cref="MaxSectionLength"/> characters, so that all the text stays under 40,000 characters.
/// </summary>
internal static class SlackDigest
{
    /// <summary>The most messages one digest names.</summary>
    public const int MaxMessages = 45;

    /// <summary>Characters of one message's section: 45 of them, and the rest, stay well under 40,000.</summary>
    public const int MaxSectionLength = 750;

    private const int MaxNotificationLength = 1_000;

    public static JsonObject For(IReadOnlyList<WebhookMessage> messages, int waiting)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(messages.Count, MaxMessages);
        var terminations = messages.Sum(message => (long)message.Terminations);
        var mostSevere = messages.Max(message => message.Severity);
        var headline = string.Create(CultureInfo.InvariantCulture, $"{messages.Count} alerts · {terminations} terminations");

        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = SlackText.Truncate(headline, SlackLimits.HeaderText) },
            },
            new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(Mrkdwn(Summary(messages))),
            },
        };

        foreach (var message in messages)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = Mrkdwn(Section(message)) });
        }

        if (waiting > 0)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(Mrkdwn(string.Create(CultureInfo.InvariantCulture, $"_…and {waiting} more waiting, in the next message_"))),
            });
        }

        var notification = new StringBuilder(headline).Append(": ")
            .AppendJoin("; ", messages.Take(5).Select(message => OneLine(message)))
            .Append(messages.Count > 5 ? "; …" : string.Empty)
            .ToString();
        return new JsonObject
        {
            ["text"] = SlackText.Escape(notification, MaxNotificationLength),
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["color"] = SlackPayload.ColorOf(mostSevere),
                ["blocks"] = blocks,
            }),
        };
    }

    // "2 Critical · 5 Error · 12 Info, queued 10:02:11–10:02:19 UTC"
    private static string Summary(IReadOnlyList<WebhookMessage> messages)
    {
        var bySeverity = messages.GroupBy(message => message.Severity).OrderByDescending(group => group.Key)
            .Select(group => string.Create(CultureInfo.InvariantCulture, $"{group.Count()} {group.Key}"));
        var first = messages.Min(message => message.QueuedAt).UtcDateTime;
        var last = messages.Max(message => message.QueuedAt).UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"Most severe first: {string.Join(" · ", bySeverity)}, queued {first:HH:mm:ss}–{last:HH:mm:ss} UTC");
    }

    // ":red_circle: *[Error] Upstream down* GET /api → 502\n`Route: api` `Trace: 0af7…` — 37 more like this between 10:02:12 and 10:03:10 UTC"
    private static string Section(WebhookMessage message)
    {
        if (message.ResolvedSummary is { } resolved)
        {
            var what = message.Alert is { } resolvedAlert ? resolvedAlert.Title : message.Text ?? string.Empty;
            return SlackText.Truncate($":white_check_mark: *Resolved:* {SlackText.Escape(what, 400)}\n_{resolved}_", MaxSectionLength);
        }

        var line = new StringBuilder(Emoji(message.Severity)).Append(' ');
        if (message.Alert is { } alert)
        {
            line.Append("*[").Append(alert.Severity).Append("] ").Append(SlackText.Escape(alert.Title, 200)).Append('*');
            if (!string.IsNullOrEmpty(alert.Text))
            {
                line.Append(' ').Append(SlackText.Escape(alert.Text, 400));
            }

            if (alert.Fields is { Count: > 0 } fields)
            {
                line.Append('\n').AppendJoin(' ', fields.Take(SlackLimits.SectionFields).Select(field => "`" + SlackText.Escape($"{field.Key}: {field.Value}".Replace('`', '\''), 100) + "`"));
                if (fields.Count > SlackLimits.SectionFields)
                {
                    line.Append(CultureInfo.InvariantCulture, $" _+{fields.Count - SlackLimits.SectionFields} fields_");
                }
            }
        }
        else
        {
            line.Append(SlackText.Escape(message.Text ?? string.Empty, 500));
        }

        if (message.FoldedSummary is { } folded)
        {
            line.Append("\n_").Append(folded).Append('_');
        }

        return SlackText.Truncate(line.ToString(), MaxSectionLength);
    }

    private static string OneLine(WebhookMessage message) =>
        message.Alert is { } alert ? $"[{alert.Severity}] {alert.Title}" : message.Text ?? string.Empty;

    private static string Emoji(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => ":rotating_light:",
        AlertSeverity.Error => ":red_circle:",
        AlertSeverity.Warning => ":large_yellow_circle:",
        _ => ":large_blue_circle:",
    };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };
}
