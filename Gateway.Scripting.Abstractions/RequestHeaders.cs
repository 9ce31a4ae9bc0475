using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Gateway.Scripting;

/// <summary>
/// The request's headers as a transform sees them: read-only, matched case-insensitively by name, with credentials
/// already redacted. <c>Request.Headers["content-type"]</c> is <see langword="null"/> when the header is absent.
/// </summary>
/// <remarks>
/// The collection is fixed when the request view is built: no transform can change it for the next one in the chain,
/// and nothing it hands out leads back to it. Several values of one header are joined with <c>", "</c>.
/// </remarks>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named as scripts read it, beside ResponseHeaders.")]
public sealed class RequestHeaders : IReadOnlyDictionary<string, string>
{
    // Never handed out, and never changed after the constructor: what Keys and Values return are read-only views.
    private readonly Dictionary<string, string> _values;

    /// <summary>Copies <paramref name="headers"/>; a name given twice (in any case) keeps both values, joined with <c>", "</c>.</summary>
    /// <param name="headers">The headers, as (name, value) pairs.</param>
    public RequestHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        _values = new Dictionary<string, string>(headers.TryGetNonEnumeratedCount(out var count) ? count : 0, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(headers));
            _values[name] = _values.TryGetValue(name, out var earlier) ? earlier + ", " + value : value ?? string.Empty;
        }
    }

    /// <summary>No headers.</summary>
    public static RequestHeaders Empty { get; } = new([]);

    /// <summary>
    /// The header's value, or <see langword="null"/> when the request did not send it:
    /// <c>Request.Headers["content-type"] ?? "(none)"</c>.
    /// </summary>
    /// <param name="name">The header name, in any case.</param>
    public string? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>The number of distinct header names.</summary>
    public int Count => _values.Count;

    /// <summary>The header names, as the client spelled them.</summary>
    public IEnumerable<string> Keys => _values.Keys;

    /// <summary>The header values, in the order of <see cref="Keys"/>.</summary>
    public IEnumerable<string> Values => _values.Values;

    /// <inheritdoc cref="IReadOnlyDictionary{TKey, TValue}.this[TKey]"/>
    /// <remarks>Through the interface, an absent header throws <see cref="KeyNotFoundException"/>, as the interface promises.</remarks>
    string IReadOnlyDictionary<string, string>.this[string key] => _values[key];

    /// <summary>Tells whether the request sent the header.</summary>
    /// <param name="key">The header name, in any case.</param>
    /// <returns><see langword="true"/> when it did.</returns>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <summary>Gets the header's value when the request sent it.</summary>
    /// <param name="key">The header name, in any case.</param>
    /// <param name="value">Its value, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when it did.</returns>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _values.TryGetValue(key, out value);

    /// <summary>Enumerates every (name, value) pair.</summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
