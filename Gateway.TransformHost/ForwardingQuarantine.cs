using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Isolation;

namespace Gateway.TransformHost;

/// <summary>
/// Quarantine is the gateway's decision, across all its hosts and their restarts: a host never skips a transform
/// itself; it tells the gateway of every breach its runner holds against one.
/// </summary>
internal sealed class ForwardingQuarantine(HostChannel channel) : ITransformQuarantine
{
    public bool IsQuarantined(CompiledTransform transform) => false;

    public bool RecordBreach(CompiledTransform transform)
    {
        channel.Send(HostFrameKind.Breach, new BreachFrame(transform.Key));
        return false;
    }
}
