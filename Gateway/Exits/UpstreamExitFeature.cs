using Gateway.Scripting.Execution;

namespace Gateway.Exits;

/// <summary>
/// An upstream's error response that the transforms rewrote, with its body suppressed in the forwarder: the exit
/// middleware writes it once the pipeline unwinds, exactly as it writes the gateway's own terminations.
/// </summary>
/// <param name="Response">The response the transforms left.</param>
/// <param name="Payload">Its body, serialised.</param>
/// <remarks>
/// For a <c>HEAD</c> the transforms never saw the body a <c>GET</c> would have had, so the length a <c>GET</c>
/// would get is unknown, and no <c>Content-Length</c> is sent.
/// </remarks>
internal sealed record UpstreamExitFeature(ExitResponse Response, ExitPayload Payload);
