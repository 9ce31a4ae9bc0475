using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gateway.Coordination;

/// <summary>
/// The Redis instruments of the <c>Gateway</c> meter: how long calls take (<c>gateway.redis.duration</c>, by
/// <c>operation</c>), how many failed (<c>gateway.redis.errors</c>, by <c>operation</c> and <c>error</c>: timeout,
/// unavailable, failed), and how often a feature fell back to local state (<c>gateway.redis.fallbacks</c>, by
/// <c>feature</c>).
/// </summary>
internal sealed class RedisMetrics
{
    public const string MeterName = "Gateway";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _fallbacks;

    public RedisMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram<double>(
            "gateway.redis.duration", "s", "Time a Redis call took, by operation.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _errors = meter.CreateCounter<long>("gateway.redis.errors", "{call}", "Redis calls that timed out, found Redis unavailable or failed.");
        _fallbacks = meter.CreateCounter<long>("gateway.redis.fallbacks", "{decision}", "Decisions taken from local state because Redis did not answer in time.");
    }

    public void Completed(string operation, TimeSpan duration) =>
        _duration.Record(duration.TotalSeconds, new TagList { { "operation", operation } });

    public void Error(string operation, string error) =>
        _errors.Add(1, new TagList { { "operation", operation }, { "error", error } });

    public void Fallback(string feature) => _fallbacks.Add(1, new TagList { { "feature", feature } });
}
