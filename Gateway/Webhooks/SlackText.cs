using System.Text;

namespace Gateway.Webhooks;

/// <summary>Makes script text safe for a Slack message's mrkdwn <c>text</c>.</summary>
internal static class SlackText
{
    /// <summary>Slack accepts up to 40,000 characters in <c>text</c>.</summary>
    public const int MaxLength = 40_000;

    private const char Ellipsis = '…';

    /// <summary>
    /// Escapes <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c>, so that text from a request (a Host, a path) cannot
    /// become a link or a mention, and truncates to <see cref="MaxLength"/>.
    /// </summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny('&', '<', '>') < 0 && text.Length <= MaxLength)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            var piece = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => null,
            };
            if (escaped.Length + (piece?.Length ?? 1) > MaxLength - 1)
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
}
