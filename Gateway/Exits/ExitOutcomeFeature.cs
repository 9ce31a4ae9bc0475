using Gateway.Scripting;

namespace Gateway.Exits;

/// <summary>Left on the request by a responder: who made the response, and of which termination kind.</summary>
internal sealed class ExitOutcomeFeature(ExitSource source, TerminationKind kind)
{
    public ExitSource Source { get; } = source;

    public TerminationKind Kind { get; } = kind;
}
