using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Gateway.Authentication;

/// <summary>
/// Finds the consumer a presented key belongs to. Keys are compared as SHA-256 digests in constant time,
/// against every known key without stopping early, so timing reveals neither a key nor its length.
/// </summary>
internal sealed class ApiKeyValidator
{
    private readonly IOptionsMonitor<ApiKeyOptions> _options;
    private KeySet _keys;

    public ApiKeyValidator(IOptionsMonitor<ApiKeyOptions> options)
    {
        _options = options;
        _keys = KeySet.From(options.CurrentValue);
    }

    /// <summary>The consumer whose key is <paramref name="presented"/>, or <see langword="null"/>.</summary>
    public string? FindConsumer(string presented)
    {
        var current = _options.CurrentValue;
        var keys = _keys;
        if (!ReferenceEquals(keys.Source, current))
        {
            // Configuration was reloaded: digest the new keys once.
            keys = _keys = KeySet.From(current);
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), digest);
        string? match = null;
        foreach (var (consumer, known) in keys.Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(digest, known))
            {
                match = consumer;
            }
        }

        return match;
    }

    private sealed record KeySet(ApiKeyOptions Source, (string Consumer, byte[] Digest)[] Keys)
    {
        public static KeySet From(ApiKeyOptions options) => new(
            options,
            [.. options.Consumers
                .Where(c => !string.IsNullOrEmpty(c.Value))
                .Select(c => (c.Key, SHA256.HashData(Encoding.UTF8.GetBytes(c.Value))))]);
    }
}
