namespace Gateway.Webhooks.Formatting;

/// <summary>The registered <see cref="IWebhookFormatter"/>s, by kind (case-insensitive).</summary>
internal sealed class WebhookFormatters(IEnumerable<IWebhookFormatter> formatters)
{
    private readonly Dictionary<string, IWebhookFormatter> _byKind =
        formatters.ToDictionary(formatter => formatter.Kind, StringComparer.OrdinalIgnoreCase);

    /// <summary>The kinds a destination may name, for validation messages.</summary>
    public IReadOnlyCollection<string> Kinds => _byKind.Keys;

    public bool Has(string? kind) => kind is not null && _byKind.ContainsKey(kind);

    /// <summary>The formatter of <paramref name="kind"/>; start-up validation has made sure there is one.</summary>
    public IWebhookFormatter For(string kind) =>
        _byKind.TryGetValue(kind, out var formatter) ? formatter : throw new InvalidOperationException($"No webhook formatter for Kind '{kind}'.");
}
