using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Records the <c>gateway.webhooks.*</c> measurements of one service provider's <c>Gateway</c> meter (tests run in
/// parallel, each gateway with meters of its own), so that tests can add them up by tag.
/// </summary>
internal sealed class WebhookMetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public WebhookMetricsRecorder(IMeterFactory meters, string prefix = "gateway.webhooks.")
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Gateway" && ReferenceEquals(instrument.Meter.Scope, meters) &&
                instrument.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The names of the instruments seen.</summary>
    public IReadOnlySet<string> Instruments => _measurements.Select(m => m.Instrument).ToHashSet();

    /// <summary>The sum of a counter's measurements whose tags include every given one.</summary>
    public long Sum(string instrument, params (string Tag, string Value)[] tags) =>
        (long)Matching(instrument, tags).Sum(m => m.Value);

    /// <summary>How many measurements an instrument (a histogram, say) took with the given tags.</summary>
    public int Count(string instrument, params (string Tag, string Value)[] tags) => Matching(instrument, tags).Count();

    /// <summary>Reads the observable gauges now and returns the queue length last observed for <paramref name="destination"/>.</summary>
    public double QueueLength(string destination)
    {
        _listener.RecordObservableInstruments();
        return Matching("gateway.webhooks.queue.length", [("destination", destination)]).Last().Value;
    }

    public void Dispose() => _listener.Dispose();

    private IEnumerable<Measurement> Matching(string instrument, (string Tag, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Tag, out var v) && v == t.Value));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Enqueue(new Measurement(instrument.Name, value, copy));
    }

    private sealed record Measurement(string Instrument, double Value, Dictionary<string, string?> Tags);
}
