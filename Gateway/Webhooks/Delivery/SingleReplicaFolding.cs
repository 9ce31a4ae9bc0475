namespace Gateway.Webhooks.Delivery;

/// <summary>Without Redis, a replica is the whole fleet: what its own <see cref="StormFolder"/> lets through is posted.</summary>
internal sealed class SingleReplicaFolding : IFleetFolding
{
    public ValueTask<bool> ShouldPostAsync(WebhookDestination destination, WebhookMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(true);

    public ValueTask<IReadOnlyList<WebhookMessage>> CollectAsync(WebhookDestination destination, DateTimeOffset now, bool all, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<WebhookMessage>>([]);
}
