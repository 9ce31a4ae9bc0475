namespace Gateway.Scripting;

/// <summary>
/// One way the gateway ends a request itself: a row of <see cref="GatewayTerminations"/>. The response starts as
/// <see cref="Status"/> with the body <c>{"message": "<see cref="Message"/>"}</c>, before any transform reshapes it.
/// </summary>
/// <param name="Kind">Why the request ended; never <see cref="TerminationKind.UpstreamResponse"/>.</param>
/// <param name="Status">The status the gateway answers with.</param>
/// <param name="Message">The <c>message</c> of the body; transforms and clients match on it.</param>
/// <param name="Title">The status's reason phrase, the <c>title</c> of an RFC 9457 problem details body.</param>
public sealed record GatewayTermination(TerminationKind Kind, int Status, string Message, string Title);
