namespace Gateway.Webhooks;

/// <summary>
/// Keeps a webhook URL's secret parts (its path and query: Slack's token is the path) out of text that may reach a
/// log, such as an exception message.
/// </summary>
internal static class WebhookUrlRedactor
{
    public const string Redacted = "[redacted]";

    /// <summary>The URL as it may be shown: scheme, host and port only.</summary>
    public static string Display(Uri url) => $"{url.GetLeftPart(UriPartial.Authority)}/{Redacted}";

    /// <summary><paramref name="text"/> with every occurrence of the URL, or of its path and query, replaced.</summary>
    public static string Redact(string text, Uri url)
    {
        var redacted = text
            .Replace(url.OriginalString, Display(url), StringComparison.OrdinalIgnoreCase)
            .Replace(url.AbsoluteUri, Display(url), StringComparison.OrdinalIgnoreCase);
        foreach (var secret in new[] { url.PathAndQuery, Uri.UnescapeDataString(url.PathAndQuery) })
        {
            if (secret.Length > 1)
            {
                redacted = redacted.Replace(secret, "/" + Redacted, StringComparison.OrdinalIgnoreCase);
            }
        }

        return redacted;
    }
}
