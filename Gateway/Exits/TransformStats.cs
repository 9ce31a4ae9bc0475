using Gateway.Scripting.Execution;

namespace Gateway.Exits;

/// <summary>
/// What the chains that held one transform showed of it since start-up: runs, failures, budget breaches, the last
/// failure, whether its current version is quarantined, and the durations of its recent chains.
/// </summary>
internal sealed class TransformStats
{
    private const int Samples = 512;

    private readonly Lock _lock = new();
    private readonly double[] _durations = new double[Samples];
    private long _runs;
    private long _failures;
    private long _breaches;
    private long _skipped;
    private int _count;
    private int _next;

    public long Runs => Interlocked.Read(ref _runs);

    public long Failures => Interlocked.Read(ref _failures);

    public long Breaches => Interlocked.Read(ref _breaches);

    /// <summary>Runs skipped because the transform was quarantined.</summary>
    public long Skipped => Interlocked.Read(ref _skipped);

    /// <summary>The source hash of the version last seen quarantined; quarantine lasts until the file changes.</summary>
    public string? QuarantinedHash { get; private set; }

    public DateTimeOffset? QuarantinedAt { get; private set; }

    public TransformFailureSummary? LastFailure { get; private set; }

    public void Record(string sourceHash, TransformFailure? failure, double chainMilliseconds, DateTimeOffset now)
    {
        if (failure?.Kind == TransformFailureKind.Quarantined)
        {
            Interlocked.Increment(ref _skipped);
            if (QuarantinedHash != sourceHash)
            {
                QuarantinedHash = sourceHash;
                QuarantinedAt = now;
            }

            return;
        }

        Interlocked.Increment(ref _runs);
        if (failure is not null)
        {
            Interlocked.Increment(ref _failures);
            if (failure.Kind is TransformFailureKind.Budget or TransformFailureKind.Runaway)
            {
                Interlocked.Increment(ref _breaches);
            }

            LastFailure = new TransformFailureSummary(now, failure.Kind, failure.Line, $"{failure.ErrorType}: {failure.Exception.Message}");
        }

        lock (_lock)
        {
            _durations[_next] = chainMilliseconds;
            _next = (_next + 1) % Samples;
            _count = Math.Min(_count + 1, Samples);
        }
    }

    /// <summary>The <paramref name="quantile"/> (0-1) of the recent chain durations in milliseconds, or null before any run.</summary>
    public double? Percentile(double quantile)
    {
        double[] sorted;
        lock (_lock)
        {
            if (_count == 0)
            {
                return null;
            }

            sorted = _durations[.._count];
        }

        Array.Sort(sorted);
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(quantile * sorted.Length) - 1)];
    }
}

/// <summary>A transform's last failure, as the status API shows it.</summary>
internal sealed record TransformFailureSummary(DateTimeOffset At, TransformFailureKind Kind, int Line, string Message);
