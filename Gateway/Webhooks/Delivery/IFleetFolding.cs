namespace Gateway.Webhooks.Delivery;

/// <summary>
/// The second, fleet-wide stage of storm folding, asked on the delivery side (never on the request path): each
/// replica's <see cref="StormFolder"/> folds its own storm in memory, and this decides, for what it lets through,
/// whether this replica posts it or counts it into a window another replica owns. The in-memory implementation
/// (<see cref="SingleReplicaFolding"/>) posts everything; the Redis one (Gateway.Coordination) shares windows.
/// </summary>
internal interface IFleetFolding
{
    /// <summary>
    /// Whether this replica posts <paramref name="message"/> (true), or the fleet counted it into another post (false).
    /// Never throws for a failing store: it decides locally (true) instead.
    /// </summary>
    ValueTask<bool> ShouldPostAsync(WebhookDestination destination, WebhookMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// The follow-ups this replica owes the fleet for the windows it owns that are over by <paramref name="now"/>, with
    /// the fleet's counts; with <paramref name="all"/> (shutdown), every window it owns, given up.
    /// </summary>
    ValueTask<IReadOnlyList<WebhookMessage>> CollectAsync(WebhookDestination destination, DateTimeOffset now, bool all, CancellationToken cancellationToken);
}
