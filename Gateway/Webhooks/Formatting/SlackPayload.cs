using System.Text.Json.Nodes;
using Gateway.Scripting;

namespace Gateway.Webhooks.Formatting;

/// <summary>
/// The body of a Slack incoming-webhook post. Text goes out as <c>{"text": ...}</c>. An alert goes out as an
/// attachment whose side bar has the severity's colour and whose blocks are a header (the title), a section (the
/// text) and sections of fields, with the one-line form as the notification text. All script text is escaped for
/// mrkdwn and cut to <see cref="SlackLimits"/>.
/// </summary>
internal static class SlackPayload
{
    /// <summary>Slack's green, for a resolved notice.</summary>
    public const string ResolvedColor = "#2EB67D";

    public static JsonObject For(WebhookMessage message)
    {
        if (message.ResolvedSummary is { } resolved)
        {
            var what = message.Alert is { } resolvedAlert ? resolvedAlert.Title : message.Text ?? string.Empty;
            return new JsonObject
            {
                ["text"] = SlackText.Escape(message.PlainText),
                ["attachments"] = new JsonArray(new JsonObject
                {
                    ["color"] = ResolvedColor,
                    ["blocks"] = new JsonArray(
                        new JsonObject
                        {
                            ["type"] = "header",
                            ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = SlackText.Truncate("Resolved: " + what, SlackLimits.HeaderText) },
                        },
                        Section(SlackText.Escape($"{resolved}: {message.Alert?.Text ?? message.Text}", SlackLimits.SectionText))),
                }),
            };
        }

        if (message.Alert is not { } alert)
        {
            return new JsonObject { ["text"] = SlackText.Escape(message.PlainText) };
        }

        return new JsonObject
        {
            ["text"] = SlackText.Escape(message.PlainText),
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["color"] = ColorOf(alert.Severity),
                ["blocks"] = Blocks(alert, message.FoldedSummary),
            }),
        };
    }

    /// <summary>Slack's own colours: blue, yellow, red, and a darker red.</summary>
    public static string ColorOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Info => "#36C5F0",
        AlertSeverity.Warning => "#ECB22E",
        AlertSeverity.Critical => "#8B0000",
        _ => "#E01E5A",
    };

    private static JsonArray Blocks(WebhookAlert alert, string? foldedSummary)
    {
        var title = string.IsNullOrWhiteSpace(alert.Title) ? alert.Severity.ToString() : alert.Title;
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = SlackText.Truncate(title, SlackLimits.HeaderText) },
            },
        };
        if (foldedSummary is not null)
        {
            blocks.Add(Section($"*{foldedSummary}*"));
        }

        if (!string.IsNullOrEmpty(alert.Text))
        {
            blocks.Add(Section(SlackText.Escape(alert.Text, SlackLimits.SectionText)));
        }

        var fields = alert.Fields?.ToList() ?? [];
        var room = SlackLimits.Blocks - blocks.Count;
        var sections = (fields.Count + SlackLimits.SectionFields - 1) / SlackLimits.SectionFields;
        if (sections > room)
        {
            // One block is kept to say that the rest did not fit.
            sections = room - 1;
        }

        for (var i = 0; i < sections; i++)
        {
            var chunk = fields.Skip(i * SlackLimits.SectionFields).Take(SlackLimits.SectionFields)
                .Select(field => (JsonNode)Mrkdwn(SlackText.Escape($"*{field.Key}*\n{field.Value}", SlackLimits.FieldText)));
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = new JsonArray([.. chunk]) });
        }

        var shown = sections * SlackLimits.SectionFields;
        if (fields.Count > shown)
        {
            blocks.Add(Section($"_…and {fields.Count - shown} more fields_"));
        }

        return blocks;
    }

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };
}
