namespace Gateway.Webhooks;

/// <summary>
/// Folds storms of like messages for one destination. The first message of a key goes out at once and opens a window;
/// the others inside it are only counted; when the window ends, one follow-up stands for them ("37 more like this
/// between 10:02:12 and 10:03:10 UTC") and, while the storm goes on, a new window starts. A window that ends with nothing folded is
/// forgotten. With <c>resolveAfter</c> set, a storm (a key that folded messages) that has then been quiet that long is
/// announced as over with one resolved notice ("Resolved — 38 occurrences between 10:02:11 and 10:08:40 UTC"), and
/// forgotten. Time is passed in, so the rules can be checked without waiting.
/// </summary>
/// <remarks>
/// Every message is either returned as <see cref="FoldDecision.Send"/> or counted into exactly one follow-up, which
/// <see cref="Expire"/> or <see cref="Close"/> returns. At most <see cref="MaxKeys"/> keys are tracked at once; past
/// that, new keys are not folded (they still meet the queue's bound).
/// </remarks>
internal sealed class StormFolder(TimeSpan window, TimeSpan resolveAfter = default)
{
    public const int MaxKeys = 10_000;

    private readonly Dictionary<string, FoldWindow> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _closed;

    public TimeSpan Window => window;

    /// <summary>Keys with an open window.</summary>
    public int OpenWindows
    {
        get
        {
            lock (_lock)
            {
                return _windows.Count;
            }
        }
    }

    public FoldDecision Admit(string key, WebhookMessage message, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return FoldDecision.Closed;
            }

            if (window <= TimeSpan.Zero)
            {
                return FoldDecision.Send;
            }

            if (_windows.TryGetValue(key, out var open))
            {
                // Past its end but not yet expired: with folded messages its follow-up is due and this one joins it;
                // without, the storm was over and this message starts a new one.
                open.Occurrences++;
                open.LastSeen = now;
                if (now < open.Start + window || open.Folded > 0)
                {
                    if (open.Folded == 0)
                    {
                        open.FirstFolded = now;
                    }

                    open.Folded++;
                    open.Stormy = true;
                    return FoldDecision.Folded;
                }

                open.Start = now;
                open.First = message;
                return FoldDecision.Send;
            }

            if (_windows.Count < MaxKeys)
            {
                _windows.Add(key, new FoldWindow { First = message, Start = now, StormStart = now, LastSeen = now, Occurrences = 1 });
            }

            return FoldDecision.Send;
        }
    }

    /// <summary>Ends the windows that are over by <paramref name="now"/>, returning a follow-up for each that folded messages.</summary>
    public IReadOnlyList<WebhookMessage> Expire(DateTimeOffset now)
    {
        lock (_lock)
        {
            List<WebhookMessage>? followUps = null;
            List<string>? quiet = null;
            foreach (var (key, open) in _windows)
            {
                if (now < open.Start + window)
                {
                    continue;
                }

                if (open.Folded == 0)
                {
                    if (resolveAfter > TimeSpan.Zero && open.Stormy)
                    {
                        // A storm: forgotten only once it has been quiet for resolveAfter, with a notice that it is over.
                        if (now - open.LastSeen < resolveAfter)
                        {
                            continue;
                        }

                        (followUps ??= []).Add(open.First.ResolvedNotice(open.Occurrences, open.StormStart, open.LastSeen, now));
                    }

                    (quiet ??= []).Add(key);
                    continue;
                }

                (followUps ??= []).Add(open.First.FollowUp(open.Folded, open.FirstFolded, open.LastSeen, now));
                open.Folded = 0;
                open.Start = now;
            }

            foreach (var key in quiet ?? [])
            {
                _windows.Remove(key);
            }

            return followUps ?? [];
        }
    }

    /// <summary>
    /// Takes no more messages and returns a follow-up for every window that folded some, covering the time since the
    /// window opened.
    /// </summary>
    public IReadOnlyList<WebhookMessage> Close(DateTimeOffset now)
    {
        lock (_lock)
        {
            _closed = true;
            var followUps = _windows.Values
                .Where(open => open.Folded > 0)
                .Select(open => open.First.FollowUp(open.Folded, open.FirstFolded, open.LastSeen, now))
                .ToList();
            _windows.Clear();
            return followUps;
        }
    }

    private sealed class FoldWindow
    {
        public required WebhookMessage First { get; set; }

        public DateTimeOffset Start { get; set; }

        public int Folded { get; set; }

        /// <summary>Whether any message was folded since the storm began: only then is its end announced.</summary>
        public bool Stormy { get; set; }

        /// <summary>Messages of this key since the storm began, sent and folded.</summary>
        public long Occurrences { get; set; }

        public DateTimeOffset StormStart { get; set; }

        public DateTimeOffset LastSeen { get; set; }

        /// <summary>When the first message folded into the current follow-up came.</summary>
        public DateTimeOffset FirstFolded { get; set; }
    }
}
