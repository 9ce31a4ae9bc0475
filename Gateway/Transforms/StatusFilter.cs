using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Gateway.Transforms;

/// <summary>
/// The statuses a binding's transforms see, parsed once at start-up from a comma-separated list of statuses
/// (<c>429</c>), ranges (<c>500-599</c>) and classes (<c>5xx</c>), all within 300–599.
/// </summary>
/// <remarks>
/// 1xx and 2xx are refused: PRODUCT.md promises that 2xx responses stream through untouched, and 1xx are not
/// final responses. The default is 400–599, so an upstream's redirects pass through unless a binding asks for 3xx.
/// </remarks>
internal sealed class StatusFilter
{
    public const int Lowest = 300;
    public const int Highest = 599;

    private readonly (int From, int To)[] _ranges;
    private readonly string _text;

    private StatusFilter((int From, int To)[] ranges, string text)
    {
        _ranges = ranges;
        _text = text;
    }

    /// <summary>400–599: every client and server error, and no redirect.</summary>
    public static StatusFilter Default { get; } = new([(400, 599)], "400-599");

    public bool Matches(int status)
    {
        foreach (var (from, to) in _ranges)
        {
            if (status >= from && status <= to)
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => _text;

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong, without naming the key.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out StatusFilter? filter, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        filter = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"is empty; leave it out for the default {Default}";
            return false;
        }

        var ranges = new List<(int, int)>();
        foreach (var part in text.Split(','))
        {
            var item = part.Trim();
            if (!TryParseItem(item, out var range, out error))
            {
                return false;
            }

            ranges.Add(range);
        }

        filter = new StatusFilter([.. ranges], text.Trim());
        error = null;
        return true;
    }

    private static bool TryParseItem(string item, out (int From, int To) range, [NotNullWhen(false)] out string? error)
    {
        range = default;
        if (item.Length == 0)
        {
            error = "has an empty item between commas";
            return false;
        }

        if (item.Length == 3 && char.IsAsciiDigit(item[0]) && item.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
        {
            var hundreds = (item[0] - '0') * 100;
            range = (hundreds, hundreds + 99);
        }
        else
        {
            var dash = item.IndexOf('-', StringComparison.Ordinal);
            var first = dash < 0 ? item : item[..dash].Trim();
            var last = dash < 0 ? item : item[(dash + 1)..].Trim();
            if (!TryParseStatus(first, out var from) || !TryParseStatus(last, out var to))
            {
                error = $"has '{item}', which is not a status (429), a range (500-599) or a class (5xx)";
                return false;
            }

            if (from > to)
            {
                error = $"has '{item}', a range whose end is below its start";
                return false;
            }

            range = (from, to);
        }

        if (range.From < Lowest || range.To > Highest)
        {
            error = $"has '{item}', outside {Lowest}-{Highest}: 1xx and 2xx responses are never transformed";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryParseStatus(string text, out int status) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out status) && text.Length == 3;
}
