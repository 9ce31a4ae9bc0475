using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Webhooks;

/// <summary>
/// The webhook instruments of the <c>Gateway</c> meter, each tagged with <c>destination</c>. Counts add up: every
/// message a script sends is queued, folded or dropped (<c>reason=unknown_destination</c>), and every queued message
/// ends sent, failed or dropped (<c>reason=queue_full</c> or <c>shutdown</c>). Follow-ups of folded messages carry
/// <c>kind=follow_up</c>, scripts' own messages <c>kind=alert</c>.
/// </summary>
/// <remarks>
/// Terminations add up too: every message stands for some (a script's own for 1, a follow-up for those it folded, a
/// digest for the sum of what it carries), and each termination a script reported ends in
/// <c>gateway.webhooks.terminations_sent</c> or in <c>gateway.webhooks.terminations_lost</c> (by <c>reason</c>).
/// </remarks>
internal sealed class WebhookMetrics
{
    public const string MeterName = "Gateway";

    private readonly Counter<long> _queued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _folded;
    private readonly Counter<long> _terminationsSent;
    private readonly Counter<long> _terminationsLost;
    private readonly Histogram<double> _latency;

    public WebhookMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _queued = meter.CreateCounter<long>("gateway.webhooks.queued", "{message}", "Messages put on a destination's queue.");
        _sent = meter.CreateCounter<long>("gateway.webhooks.sent", "{message}", "Messages delivered (or logged, for a destination without a URL).");
        _retried = meter.CreateCounter<long>("gateway.webhooks.retried", "{attempt}", "HTTP attempts that were retried.");
        _failed = meter.CreateCounter<long>("gateway.webhooks.failed", "{message}", "Messages refused by the destination or given up on after retries.");
        _dropped = meter.CreateCounter<long>("gateway.webhooks.dropped", "{message}", "Messages lost: queue full, unknown destination, or undelivered at shutdown.");
        _folded = meter.CreateCounter<long>("gateway.webhooks.folded", "{message}", "Messages folded into a follow-up instead of being sent on their own.");
        _terminationsSent = meter.CreateCounter<long>(
            "gateway.webhooks.terminations_sent", "{termination}", "Terminations that the delivered (or logged) messages stand for.");
        _terminationsLost = meter.CreateCounter<long>(
            "gateway.webhooks.terminations_lost", "{termination}", "Terminations whose message was lost, by reason: queue_full, shutdown, failed, rejected, unknown_destination.");
        _latency = meter.CreateHistogram<double>(
            "gateway.webhooks.delivery.duration", "s", "Time from queueing a message to its delivery.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });
        Meter = meter;
    }

    public Meter Meter { get; }

    public void Queued(string destination, string kind) => _queued.Add(1, Tags(destination, kind));

    public void Sent(string destination, string kind, TimeSpan latency, int terminations)
    {
        _sent.Add(1, Tags(destination, kind));
        _terminationsSent.Add(terminations, new TagList { { "destination", destination } });
        _latency.Record(latency.TotalSeconds, new TagList { { "destination", destination } });
    }

    public void Retried(string destination) => _retried.Add(1, new TagList { { "destination", destination } });

    public void Failed(string destination, string kind, string reason, int terminations)
    {
        _failed.Add(1, Tags(destination, kind));
        TerminationsLost(destination, reason, terminations);
    }

    public void Dropped(string destination, string kind, string reason, int terminations)
    {
        _dropped.Add(1, new TagList { { "destination", destination }, { "kind", kind }, { "reason", reason } });
        TerminationsLost(destination, reason, terminations);
    }

    public void Folded(string destination) => _folded.Add(1, new TagList { { "destination", destination } });

    /// <summary>
    /// A queued message that the fleet folded (with Redis): another replica posts it, counted into its window; tagged
    /// <c>scope=fleet</c>, so that a queued message ends sent, failed, dropped or folded by the fleet.
    /// </summary>
    public void FleetFolded(string destination, string kind) =>
        _folded.Add(1, new TagList { { "destination", destination }, { "kind", kind }, { "scope", "fleet" } });

    /// <summary>Publishes <c>gateway.webhooks.queue.length</c>, read from <paramref name="lengths"/> at each collection.</summary>
    public void ObserveQueueLengths(Func<IEnumerable<Measurement<int>>> lengths) =>
        Meter.CreateObservableGauge("gateway.webhooks.queue.length", lengths, "{message}", "Messages waiting in a destination's queue.");

    private void TerminationsLost(string destination, string reason, int terminations) =>
        _terminationsLost.Add(terminations, new TagList { { "destination", destination }, { "reason", reason } });

    private static TagList Tags(string destination, string kind) => new() { { "destination", destination }, { "kind", kind } };
}
