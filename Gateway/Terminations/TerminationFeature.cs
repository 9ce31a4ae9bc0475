using Gateway.Scripting;

namespace Gateway.Terminations;

/// <summary>
/// Carries the termination a stage of the pipeline decided on (authentication, rate limiting, routing...)
/// back to the exit middleware, which writes it once the pipeline unwinds.
/// </summary>
internal sealed class TerminationFeature(GatewayTermination termination)
{
    public GatewayTermination Termination { get; } = termination;
}
