namespace Gateway.Exits;

/// <summary>
/// What became of an upstream's error body on its way to the transforms. Logged as the request's
/// <c>UpstreamBody</c> property and counted by the <c>gateway.transforms.upstream_responses</c> metric.
/// </summary>
internal enum UpstreamBodyOutcome
{
    /// <summary>Buffered and parsed: the transforms got it as <c>Body</c>.</summary>
    Json,

    /// <summary>Buffered, and not JSON but text: the transforms got it as <c>Text</c>.</summary>
    Text,

    /// <summary>There was no body: empty, or a <c>HEAD</c> request, or a 204 or 304.</summary>
    Empty,

    /// <summary>Buffered, but neither JSON nor text (an image, say): the transforms got no body.</summary>
    Binary,

    /// <summary>Over <c>MaxUpstreamBodyBytes</c>, as sent or once decoded: not buffered, the transforms got no body.</summary>
    TooLarge,

    /// <summary>A stream (<c>text/event-stream</c>): never read, the transforms got no body.</summary>
    Streaming,

    /// <summary>A <c>Content-Encoding</c> the gateway cannot decode, or a corrupt one: the transforms got no body.</summary>
    Undecodable,
}
