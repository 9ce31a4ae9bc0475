namespace Gateway.Webhooks;

/// <summary>
/// Counts a recurring loss (dropped messages, failed deliveries) and says when to report it: the first at once, then
/// at most once per interval, with how many there were since the last report. Thread-safe.
/// </summary>
internal sealed class ThrottledCount(TimeSpan interval)
{
    private long _pending;
    private long _total;
    private long _nextReportTicks = long.MinValue;

    public long Total => Interlocked.Read(ref _total);

    public void Add(long count = 1)
    {
        Interlocked.Add(ref _pending, count);
        Interlocked.Add(ref _total, count);
    }

    /// <summary>When a report is due at <paramref name="now"/>, takes the count since the last one.</summary>
    public bool TryTake(DateTimeOffset now, out long count)
    {
        count = 0;
        var next = Interlocked.Read(ref _nextReportTicks);
        if (now.UtcTicks < next || Interlocked.Read(ref _pending) == 0 ||
            Interlocked.CompareExchange(ref _nextReportTicks, now.UtcTicks + interval.Ticks, next) != next)
        {
            return false;
        }

        count = Interlocked.Exchange(ref _pending, 0);
        return count > 0;
    }

    /// <summary>Holds the next report back for an interval, for a caller that has just reported the first one itself.</summary>
    public void Defer(DateTimeOffset now) => Interlocked.Exchange(ref _nextReportTicks, now.UtcTicks + interval.Ticks);

    /// <summary>Takes whatever is pending, due or not: for the last report, at shutdown.</summary>
    public long TakeAll() => Interlocked.Exchange(ref _pending, 0);
}
