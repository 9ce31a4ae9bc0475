using System.Collections.ObjectModel;
using System.Text;

namespace Gateway.Scripting;

/// <summary>
/// A structured alert for <see cref="IWebhookSender.Send(WebhookAlert)"/>: a title, a text, a few labelled fields and a
/// severity. A Slack destination shows it as a Block Kit message with a side bar coloured by <see cref="Severity"/>;
/// a generic JSON destination receives its parts as JSON properties.
/// </summary>
/// <remarks>
/// <code>
/// Webhooks.Send(new WebhookAlert("Upstream down")
/// {
///     Text = $"{Request.Method} {Request.Path} → {Status}",
///     Severity = AlertSeverity.Error,
///     Fields = new Dictionary&lt;string, string&gt; { ["Route"] = Request.RouteId ?? "(none)", ["Trace"] = Request.TraceId },
/// });
/// </code>
/// Text from the request is escaped for Slack (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>), so it cannot become a link or a
/// mention, and every part is cut to fit Slack's limits.
/// </remarks>
/// <param name="Title">The headline. Slack shows at most 150 characters of it.</param>
public sealed record WebhookAlert(string Title)
{
    /// <summary>The body of the alert, as Slack mrkdwn; <see langword="null"/> for none.</summary>
    public string? Text { get; init; }

    private readonly IReadOnlyDictionary<string, string>? _fields;

    /// <summary>
    /// Labelled values shown under the text, in the dictionary's order, e.g. the route, the status or a trace id;
    /// <see langword="null"/> for none. They are not part of the default fold key.
    /// </summary>
    /// <remarks>
    /// The alert keeps a read-only copy, taken when the property is set: changing the dictionary afterwards (say,
    /// after <c>Webhooks.Send</c>) changes nothing that is delivered. A name given twice keeps its last value.
    /// </remarks>
    public IReadOnlyDictionary<string, string>? Fields
    {
        get => _fields;
        init => _fields = value is null or FieldSnapshot ? value : new FieldSnapshot(value);
    }

    /// <summary>How serious the alert is. The default is <see cref="AlertSeverity.Error"/>.</summary>
    public AlertSeverity Severity { get; init; } = AlertSeverity.Error;

    /// <summary>
    /// Alerts with the same fold key, sent to the same destination within the fold window, are folded into one
    /// follow-up message with a count. <see langword="null"/> means the default: the severity, title and text.
    /// </summary>
    public string? FoldKey { get; init; }

    /// <summary>The alert as one line of plain text: <c>[Error] Title: text (Route: api, Status: 502)</c>.</summary>
    /// <returns>The alert as one line of plain text.</returns>
    public override string ToString()
    {
        var line = new StringBuilder().Append('[').Append(Severity).Append("] ").Append(Title);
        if (!string.IsNullOrEmpty(Text))
        {
            line.Append(": ").Append(Text);
        }

        if (Fields is { Count: > 0 })
        {
            line.Append(" (").AppendJoin(", ", Fields.Select(field => $"{field.Key}: {field.Value}")).Append(')');
        }

        return line.ToString();
    }

    // A copy taken once, in the script's own time (so its budget covers a dictionary that enumerates for ever), and
    // then never changed: the delivery thread reads it while the script goes on.
    private sealed class FieldSnapshot(IReadOnlyDictionary<string, string> fields) : ReadOnlyDictionary<string, string>(Copy(fields))
    {
        private static Dictionary<string, string> Copy(IReadOnlyDictionary<string, string> fields)
        {
            var copy = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in fields)
            {
                copy[name] = value;
            }

            return copy;
        }
    }
}
