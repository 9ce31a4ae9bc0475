using System.Diagnostics;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Terminations;

/// <summary>
/// When the forwarder sent the request upstream, and when the upstream's status arrived: the latency that
/// <c>Request.UpstreamLatency</c> shows. A request transform stamps it just before the request is sent.
/// </summary>
internal sealed class UpstreamTimingFeature
{
    private readonly long _sentAt = Stopwatch.GetTimestamp();
    private TimeSpan? _answeredAfter;

    /// <summary>How long the upstream took to answer; until it has, how long the gateway has waited so far.</summary>
    public TimeSpan Latency => _answeredAfter ?? Stopwatch.GetElapsedTime(_sentAt);

    /// <summary>Records that the upstream's status and headers have arrived; later calls keep the first time.</summary>
    public void MarkAnswered() => _answeredAfter ??= Stopwatch.GetElapsedTime(_sentAt);

    /// <summary>The request transform that stamps every forwarded request.</summary>
    public static ValueTask StampAsync(RequestTransformContext context)
    {
        context.HttpContext.Features.Set(new UpstreamTimingFeature());
        return ValueTask.CompletedTask;
    }
}
