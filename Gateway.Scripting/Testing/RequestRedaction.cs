namespace Gateway.Scripting.Testing;

/// <summary>
/// Redacts credentials the way the gateway does before a script sees the request: the <c>apikey</c>,
/// <c>Authorization</c>, <c>Proxy-Authorization</c> and <c>Cookie</c> headers, and the <c>apikey</c> query parameter.
/// </summary>
internal static class RequestRedaction
{
    public const string Redacted = "[redacted]";

    private const string ApiKey = "apikey";

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ApiKey, "Authorization", "Proxy-Authorization", "Cookie",
    };

    public static string Header(string name, string value) => SecretHeaders.Contains(name) ? Redacted : value;

    public static string Query(string query)
    {
        if (query.Length < 2)
        {
            return query;
        }

        var parts = query[1..].Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var name = parts[i].Split('=', 2)[0];
            if (string.Equals(Uri.UnescapeDataString(name.Replace('+', ' ')), ApiKey, StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = name + "=" + Redacted;
            }
        }

        return "?" + string.Join('&', parts);
    }
}
