namespace Gateway.Webhooks.Delivery;

/// <summary>Without Redis, a replica's queue is its own memory (<see cref="WebhookBacklog"/>): nothing is shared.</summary>
internal sealed class SingleReplicaQueue : IFleetQueue
{
    public bool IsShared => false;

    public TimeSpan KeepEvery => Timeout.InfiniteTimeSpan;

    public ValueTask<IReadOnlyList<WebhookMessage>> AddAsync(WebhookDestination destination, IReadOnlyList<WebhookMessage> messages, CancellationToken cancellationToken) =>
        ValueTask.FromResult(messages);

    public ValueTask<IReadOnlyList<FleetQueueEntry>> TakeAsync(WebhookDestination destination, int max, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<FleetQueueEntry>>([]);

    public ValueTask KeepAsync(WebhookDestination destination, IReadOnlyList<FleetQueueEntry> entries, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;

    public ValueTask DoneAsync(WebhookDestination destination, IReadOnlyList<FleetQueueEntry> entries, CancellationToken cancellationToken) =>
        ValueTask.CompletedTask;
}
