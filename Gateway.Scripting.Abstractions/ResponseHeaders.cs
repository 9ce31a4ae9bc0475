using System.Collections;

namespace Gateway.Scripting;

/// <summary>
/// The headers of the response a transform is shaping, matched case-insensitively by name.
/// </summary>
/// <remarks>
/// A change the gateway cannot send is refused at once with an <see cref="ArgumentException"/>, which
/// ends the transform and leaves the response as it was before it: a name that is not an HTTP token,
/// a value with CR, LF or other control characters, and the headers the gateway owns
/// (<c>Content-Length</c>, <c>Transfer-Encoding</c> and the hop-by-hop headers). Values must be ASCII.
/// </remarks>
public sealed class ResponseHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private static readonly HashSet<string> GatewayOwned = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection",
        "TE", "Trailer", "Upgrade",
    };

    private Dictionary<string, List<string>> _values;

    // Whether _values may belong to another collection too, read-only to both: copied before this one's first change.
    private bool _shared;

    /// <summary>Creates an empty header collection.</summary>
    public ResponseHeaders()
    {
        _values = new(StringComparer.OrdinalIgnoreCase);
    }

    private ResponseHeaders(Dictionary<string, List<string>> shared)
    {
        _values = shared;
        _shared = true;
    }

    /// <summary>
    /// Gets the header's values joined with <c>", "</c>, or <see langword="null"/> when it is absent;
    /// setting replaces every value, and setting <see langword="null"/> removes the header.
    /// </summary>
    /// <param name="name">The header name, e.g. <c>x-some-header</c>.</param>
    public string? this[string name]
    {
        get => _values.TryGetValue(name, out var values) ? string.Join(", ", values) : null;
        set
        {
            if (value is null)
            {
                Remove(name);
                return;
            }

            Validate(name, value);
            Owned()[name] = [value];
        }
    }

    /// <summary>The number of distinct header names.</summary>
    public int Count => _values.Count;

    /// <summary>The header names present, as a copy: removing headers while going through it is fine.</summary>
    public IEnumerable<string> Names => _values.Keys.ToArray().AsReadOnly();

    /// <summary>Adds a value to the header, keeping the values it already has (for <c>Set-Cookie</c>, say).</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The value to add.</param>
    public void Append(string name, string value)
    {
        Validate(name, value);
        var owned = Owned();
        if (owned.TryGetValue(name, out var values))
        {
            values.Add(value);
        }
        else
        {
            owned[name] = [value];
        }
    }

    /// <summary>Removes the header.</summary>
    /// <param name="name">The header name.</param>
    /// <returns><see langword="true"/> when the header was present.</returns>
    public bool Remove(string name) => _values.ContainsKey(name) && Owned().Remove(name);

    /// <summary>Tells whether the header is present.</summary>
    /// <param name="name">The header name.</param>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>Each value of the header, in order, as a read-only copy; empty when it is absent.</summary>
    /// <remarks>Change a header through the indexer, <see cref="Append"/> or <see cref="Remove"/>, which check what they are given.</remarks>
    /// <param name="name">The header name.</param>
    public IReadOnlyList<string> GetValues(string name) =>
        _values.TryGetValue(name, out var values) ? Array.AsReadOnly(values.ToArray()) : Array.Empty<string>();

    /// <summary>Copies these headers into a new, independent collection.</summary>
    public ResponseHeaders Clone()
    {
        var copy = new ResponseHeaders();
        foreach (var (name, values) in _values)
        {
            copy._values[name] = [.. values];
        }

        return copy;
    }

    /// <summary>
    /// An independent copy, as <see cref="Clone"/> makes, that shares these headers until either collection is first
    /// changed, which then copies them: for the runner, which hands each transform the headers as the one before left
    /// them, and most transforms change one header or none.
    /// </summary>
    internal ResponseHeaders CopyOnWrite()
    {
        _shared = true;
        return new ResponseHeaders(_values);
    }

    /// <summary>The headers as they are, each name with its values, for the gateway to write without copying them.</summary>
    /// <remarks>Not a script's view (<see cref="GetEnumerator"/> is): the values must not be changed.</remarks>
    internal Dictionary<string, List<string>>.Enumerator GetNamesAndValues() => _values.GetEnumerator();

    /// <summary>Tells whether the gateway sets this header itself, so that neither transforms nor copies may.</summary>
    /// <param name="name">The header name.</param>
    public static bool IsGatewayOwned(string name) => GatewayOwned.Contains(name);

    /// <summary>
    /// Enumerates every (name, value) pair; a header with several values appears once per value. The pairs are
    /// those present when the enumeration starts, so changing headers while going through them is fine.
    /// </summary>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        var pairs = new List<KeyValuePair<string, string>>(_values.Count);
        foreach (var (name, values) in _values)
        {
            foreach (var value in values)
            {
                pairs.Add(new KeyValuePair<string, string>(name, value));
            }
        }

        return pairs.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The dictionary this collection may change: its own, copied from the shared one on the first change.
    private Dictionary<string, List<string>> Owned()
    {
        if (_shared)
        {
            var copy = new Dictionary<string, List<string>>(_values.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, values) in _values)
            {
                copy[name] = [.. values];
            }

            _values = copy;
            _shared = false;
        }

        return _values;
    }

    private static void Validate(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0 || !name.All(IsTokenChar))
        {
            throw new ArgumentException($"'{name}' is not a valid HTTP header name.", nameof(name));
        }

        if (GatewayOwned.Contains(name))
        {
            throw new ArgumentException(
                $"The gateway sets the '{name}' header itself; transforms cannot set it.", nameof(name));
        }

        // Tab is the one control character a field value may hold; CR and LF would split the response.
        if (value.Any(c => (c < 0x20 && c != '\t') || c == 0x7F))
        {
            throw new ArgumentException(
                $"The value of header '{name}' holds a control character (CR, LF or similar).", nameof(value));
        }

        // The server sends header values as ASCII and refuses anything else when the response is written.
        if (value.Any(c => c > 0x7E))
        {
            throw new ArgumentException(
                $"The value of header '{name}' holds a non-ASCII character; encode it (e.g. Uri.EscapeDataString).", nameof(value));
        }
    }

    // RFC 9110 token: visible ASCII except delimiters.
    private static bool IsTokenChar(char c) =>
        c is > ' ' and < (char)0x7F && "\"(),/:;<=>?@[\\]{}".IndexOf(c) < 0;
}
