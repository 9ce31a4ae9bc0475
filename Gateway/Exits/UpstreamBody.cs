namespace Gateway.Exits;

/// <summary>
/// What the gateway read of an upstream's error body, as received (still encoded): all of it, a prefix of it
/// (when it ran past the limit), or nothing. Whatever was read can be replayed ahead of the unread rest, so
/// that a body the transforms leave alone still reaches the client byte for byte.
/// </summary>
internal sealed class UpstreamBody
{
    private readonly byte[] _buffer;
    private readonly Stream? _rest;

    private UpstreamBody(byte[] buffer, int length, bool complete, Stream? rest, UpstreamBodyOutcome? notBuffered)
    {
        _buffer = buffer;
        Received = new ReadOnlyMemory<byte>(buffer, 0, length);
        Complete = complete;
        _rest = rest;
        NotBuffered = notBuffered;
    }

    /// <summary>The bytes read, as the upstream sent them.</summary>
    public ReadOnlyMemory<byte> Received { get; }

    /// <summary>Whether <see cref="Received"/> is the whole body.</summary>
    public bool Complete { get; }

    /// <summary>Why the body was not read at all (<see cref="UpstreamBodyOutcome.Empty"/>, <see cref="UpstreamBodyOutcome.Streaming"/>, <see cref="UpstreamBodyOutcome.TooLarge"/>), or <see langword="null"/> when it was.</summary>
    public UpstreamBodyOutcome? NotBuffered { get; }

    /// <summary>Whether anything was taken from the upstream's stream, which must then be replayed to pass the body on.</summary>
    public bool Consumed => Received.Length > 0;

    public static UpstreamBody NotRead(UpstreamBodyOutcome why) => new([], 0, why == UpstreamBodyOutcome.Empty, null, why);

    public static UpstreamBody Whole(byte[] buffer, int length) => new(buffer, length, complete: true, null, null);

    public static UpstreamBody Prefix(byte[] buffer, int length, Stream rest) => new(buffer, length, complete: false, rest, null);

    /// <summary>A read-only stream over <see cref="Received"/>, for decoding.</summary>
    public Stream OpenReceived() => new MemoryStream(_buffer, 0, Received.Length, writable: false);

    /// <summary>Content that yields what was read, then the rest of the upstream's stream; it owns <paramref name="original"/>.</summary>
    public HttpContent Replay(HttpContent original) => new ReplayContent(Received, _rest, original);
}
