namespace Gateway.Scripting;

/// <summary>
/// What a script never sees of a request: the <c>apikey</c>, <c>Authorization</c>, <c>Proxy-Authorization</c>
/// and <c>Cookie</c> headers, and the <c>apikey</c> query parameter, read <c>[redacted]</c>. The gateway and the
/// testing API build <see cref="RequestInfo"/> through these same rules.
/// </summary>
public static class RequestRedaction
{
    /// <summary>What a redacted value reads.</summary>
    public const string Redacted = "[redacted]";

    private const string ApiKey = "apikey";

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ApiKey, "Authorization", "Proxy-Authorization", "Cookie",
    };

    /// <summary>The header's value as a script sees it.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">Its value.</param>
    public static string Header(string name, string value) => SecretHeaders.Contains(name) ? Redacted : value;

    /// <summary>
    /// The query string (with its leading <c>?</c>) as a script sees it. Names are compared decoded, as the
    /// authentication handler reads them: <c>?api%6Bey=</c> is <c>apikey</c> too.
    /// </summary>
    /// <param name="query">The query string, or empty.</param>
    public static string Query(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Length < 2)
        {
            return query;
        }

        var parts = query[1..].Split('&');
        var redacted = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var name = parts[i].Split('=', 2)[0];
            if (string.Equals(Uri.UnescapeDataString(name.Replace('+', ' ')), ApiKey, StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = name + "=" + Redacted;
                redacted = true;
            }
        }

        return redacted ? "?" + string.Join('&', parts) : query;
    }
}
