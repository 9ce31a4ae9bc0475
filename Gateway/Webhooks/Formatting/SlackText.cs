using System.Text;

namespace Gateway.Webhooks.Formatting;

/// <summary>Makes script text safe for Slack: mrkdwn escaping and truncation to Slack's limits.</summary>
internal static class SlackText
{
    /// <summary>Slack accepts up to 40,000 characters in <c>text</c>.</summary>
    public const int MaxLength = SlackLimits.MessageText;

    private const char Ellipsis = '…';

    /// <summary>
    /// Escapes <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c>, so that text from a request (a Host, a path) cannot
    /// become a link or a mention, and truncates to <see cref="MaxLength"/>.
    /// </summary>
    public static string Escape(string text) => Escape(text, MaxLength);

    /// <summary>Escapes like <see cref="Escape(string)"/> and truncates to <paramref name="maxLength"/>, never inside an entity.</summary>
    public static string Escape(string text, int maxLength)
    {
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0)
        {
            return Truncate(text, maxLength);
        }

        var escaped = new StringBuilder(Math.Min(text.Length + 16, maxLength));
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var piece = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => null,
            };

            // The ellipsis needs a place unless this is the last character and fits exactly.
            var room = i == text.Length - 1 ? maxLength : maxLength - 1;
            if (escaped.Length + (piece?.Length ?? 1) > room)
            {
                return escaped.Append(Ellipsis).ToString();
            }

            if (piece is null)
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append(piece);
            }
        }

        return escaped.ToString();
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="maxLength"/> characters, the last being an ellipsis when it was cut.</summary>
    public static string Truncate(string text, int maxLength)
    {
        if (text.Length <= maxLength)
        {
            return text;
        }

        // Do not leave half of a surrogate pair before the ellipsis.
        var keep = maxLength - 1;
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), [Ellipsis]);
    }
}
