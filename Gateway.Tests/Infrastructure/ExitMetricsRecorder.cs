using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gateway.Exits;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Records the <c>gateway.transforms.upstream_responses</c> counter of one gateway: only instruments its own
/// <see cref="IMeterFactory"/> created, so gateways of tests running alongside are not counted.
/// </summary>
internal sealed class ExitMetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public ExitMetricsRecorder(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ExitMetrics.MeterName && instrument.Name == ExitMetrics.UpstreamResponses && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((value, copy));
        });
        _listener.Start();
    }

    /// <summary>The count recorded for upstream responses with <paramref name="status"/>, <paramref name="body"/> and <paramref name="rewritten"/>.</summary>
    public long Count(int status, string body, bool rewritten) =>
        _measurements
            .Where(m => Equals(m.Tags[ExitMetrics.StatusTag], status) && Equals(m.Tags[ExitMetrics.BodyTag], body) && Equals(m.Tags[ExitMetrics.RewrittenTag], rewritten))
            .Sum(m => m.Value);

    public long Total => _measurements.Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
