using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gateway.Webhooks;

namespace Gateway.Management.Status;

/// <summary>
/// Totals of the webhook counters per destination, read off this gateway's own <see cref="WebhookMetrics"/> meter with
/// a <see cref="MeterListener"/>: the status API shows the same numbers as <c>/metrics</c>, with no second count kept
/// in the webhook code.
/// </summary>
internal sealed class WebhookCounts : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Destination, string Instrument), long> _totals = new();

    public WebhookCounts(WebhookMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this gateway's meter: several gateways in one process (the tests) each keep their own counts.
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument is Counter<long>
                && instrument.Name.StartsWith("gateway.webhooks.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var destination = "(unknown)";
            foreach (var tag in tags)
            {
                if (tag.Key == "destination")
                {
                    destination = tag.Value?.ToString() ?? destination;
                }
            }

            _totals.AddOrUpdate((destination, instrument.Name["gateway.webhooks.".Length..]), value, (_, total) => total + value);
        });
        _listener.Start();
    }

    /// <summary>The total of <c>gateway.webhooks.&lt;counter&gt;</c> (queued, sent, folded, dropped, failed, retried) for a destination.</summary>
    public long Total(string destination, string counter) => _totals.GetValueOrDefault((destination, counter));

    public void Dispose() => _listener.Dispose();
}
