namespace Gateway.Webhooks.Delivery;

/// <summary>
/// Where a destination's messages wait once its replica has folded them: in this replica's memory only
/// (<see cref="SingleReplicaQueue"/>, without Redis), or in a queue the fleet shares (the Redis Stream one, in
/// Gateway.Coordination), from which any replica delivers, so that a replica that crashes or stops loses nothing queued.
/// </summary>
internal interface IFleetQueue
{
    /// <summary>Whether messages go through the shared queue; false keeps the in-memory path as it was.</summary>
    bool IsShared { get; }

    /// <summary>
    /// Adds <paramref name="messages"/> to the shared queue, and returns those it could not add (the store failed or
    /// the queue is full): this replica delivers them itself. Never throws for a failing store.
    /// </summary>
    ValueTask<IReadOnlyList<WebhookMessage>> AddAsync(WebhookDestination destination, IReadOnlyList<WebhookMessage> messages, CancellationToken cancellationToken);

    /// <summary>
    /// Takes up to <paramref name="max"/> messages for this replica to post now: those a dead replica took and never
    /// finished first, then new ones; each claimed so that no other replica posts it meanwhile. Empty when there are none
    /// or the store failed.
    /// </summary>
    ValueTask<IReadOnlyList<FleetQueueEntry>> TakeAsync(WebhookDestination destination, int max, CancellationToken cancellationToken);

    /// <summary>How often a replica renews its claim on what it is posting (<see cref="KeepAsync"/>).</summary>
    TimeSpan KeepEvery { get; }

    /// <summary>
    /// Keeps the claim on <paramref name="entries"/> while their post goes on (retries, a <c>Retry-After</c> pause), so
    /// that no other replica takes them for a dead replica's. Never throws for a failing store.
    /// </summary>
    ValueTask KeepAsync(WebhookDestination destination, IReadOnlyList<FleetQueueEntry> entries, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="entries"/>: posted, or given up on after the retries. Never throws for a failing store.</summary>
    ValueTask DoneAsync(WebhookDestination destination, IReadOnlyList<FleetQueueEntry> entries, CancellationToken cancellationToken);
}

/// <summary>A message taken from the shared queue, with its id there.</summary>
internal sealed record FleetQueueEntry(string Id, WebhookMessage Message);
