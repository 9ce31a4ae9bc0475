using System.Threading.RateLimiting;

namespace Gateway.Webhooks.Delivery;

/// <summary>
/// Where a destination's token bucket and its <c>Retry-After</c> pause live: in this replica
/// (<see cref="SingleReplicaPacing"/>, without Redis), or shared by the fleet (the Redis one, in Gateway.Coordination),
/// so that three replicas together keep to the rate one webhook allows.
/// </summary>
internal interface IFleetPacing
{
    /// <summary>
    /// The token bucket of <paramref name="destination"/>. A shared bucket also waits out a pause set by any replica;
    /// it never throws for a failing store: it paces locally instead.
    /// </summary>
    RateLimiter CreateBucket(string destination, WebhookRateLimitOptions rate);

    /// <summary>
    /// Tells the fleet that <paramref name="destination"/> answered 429 with <c>Retry-After</c>: no replica posts to it
    /// before <paramref name="retryAfter"/> has passed. Never throws for a failing store.
    /// </summary>
    ValueTask PauseAsync(string destination, TimeSpan retryAfter, CancellationToken cancellationToken);
}
