namespace Gateway.Authentication;

/// <summary>The <c>Gateway:ApiKeys</c> section: each consumer's name and its key.</summary>
/// <remarks>Keys are secrets: set them through environment variables or a secret store in production.</remarks>
internal sealed class ApiKeyOptions
{
    public const string Section = "Gateway:ApiKeys";

    /// <summary>Consumer name to key, e.g. <c>"demo": "demo-key"</c>.</summary>
    public Dictionary<string, string> Consumers { get; } = new(StringComparer.Ordinal);
}
