namespace Gateway.Webhooks;

/// <summary>What <see cref="StormFolder.Admit"/> decided about a message.</summary>
internal enum FoldDecision
{
    /// <summary>The first of its kind in the window: queue it now.</summary>
    Send,

    /// <summary>Counted into its window's follow-up; do not queue it.</summary>
    Folded,

    /// <summary>The destination is shutting down: nothing is folded any more, the message goes to the queue as it is.</summary>
    Closed,
}
