using Gateway.Scripting;

namespace Gateway.Exits;

/// <summary>
/// The terminations of the last <see cref="Window"/>, per route and kind, in one-minute buckets, and the last
/// <see cref="MaxRecent"/> of them one by one: what the status API and the dashboard show.
/// </summary>
internal sealed class RecentTerminations(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);
    public const int MaxRecent = 50;

    private readonly Lock _lock = new();
    private readonly Dictionary<(long Minute, string Route, TerminationKind Kind), long> _buckets = [];
    private readonly Queue<RecentTermination> _recent = new();

    public void Record(string route, TerminationKind kind, int status)
    {
        var now = time.GetUtcNow();
        var minute = now.ToUnixTimeSeconds() / 60;
        lock (_lock)
        {
            var key = (minute, route, kind);
            _buckets[key] = _buckets.GetValueOrDefault(key) + 1;
            _recent.Enqueue(new RecentTermination(now, route, kind, status));
            if (_recent.Count > MaxRecent)
            {
                _recent.Dequeue();
            }

            if (_buckets.Count > 1000)
            {
                Prune(minute);
            }
        }
    }

    /// <summary>Per route, per kind: the terminations within <see cref="Window"/>.</summary>
    public Dictionary<string, Dictionary<TerminationKind, long>> ByRoute()
    {
        var since = (time.GetUtcNow() - Window).ToUnixTimeSeconds() / 60;
        var result = new Dictionary<string, Dictionary<TerminationKind, long>>(StringComparer.OrdinalIgnoreCase);
        lock (_lock)
        {
            Prune(since + Window.Minutes);
            foreach (var ((minute, route, kind), count) in _buckets)
            {
                if (minute >= since)
                {
                    var kinds = result.TryGetValue(route, out var k) ? k : result[route] = [];
                    kinds[kind] = kinds.GetValueOrDefault(kind) + count;
                }
            }
        }

        return result;
    }

    /// <summary>The latest terminations, newest first.</summary>
    public RecentTermination[] Latest()
    {
        lock (_lock)
        {
            return [.. _recent.Reverse()];
        }
    }

    private void Prune(long currentMinute)
    {
        var oldest = currentMinute - Window.Minutes;
        foreach (var key in _buckets.Keys.Where(k => k.Minute < oldest).ToList())
        {
            _buckets.Remove(key);
        }
    }
}

/// <summary>One termination, as the dashboard lists it.</summary>
internal sealed record RecentTermination(DateTimeOffset At, string Route, TerminationKind Kind, int Status);
