using Gateway.Scripting;

namespace Gateway.Terminations;

/// <summary>A response the gateway decided to end itself, before any transform reshapes it.</summary>
/// <param name="Kind">Why the request ended.</param>
/// <param name="Status">The status code to answer with.</param>
/// <param name="Message">The text of the <c>{"message": "..."}</c> body.</param>
internal sealed record Termination(TerminationKind Kind, int Status, string Message);
