using Gateway.Scripting;

namespace Gateway.Webhooks;

/// <summary>
/// What makes two messages "the same" for storm folding. Keys are always per destination. A script's
/// <see cref="WebhookAlert.FoldKey"/> wins; otherwise text is keyed by the whole text (the bundled
/// <c>slack-alert.csx</c> text holds the method, host, path, status and message, so it folds per route, status
/// and message) and an alert by its severity, title and text, without its fields, so that a per-request field
/// such as a trace id does not defeat folding.
/// </summary>
internal static class WebhookFoldKey
{
    // A separator that does not occur in ordinary text keeps "a" + "bc" apart from "ab" + "c".
    private const char Separator = '\u001f';

    public static string For(WebhookMessage message) => message.Alert is { } alert
        ? For(message.Destination, alert)
        : For(message.Destination, message.Text ?? string.Empty);

    public static string For(string destination, string text) => string.Concat(destination, "\u001ftext\u001f", text);

    public static string For(string destination, WebhookAlert alert) => alert.FoldKey is { } key
        ? string.Concat(destination, "\u001fkey\u001f", key)
        : string.Join(Separator, destination, "alert", alert.Severity.ToString(), alert.Title, alert.Text ?? string.Empty);
}
