using System.Threading.RateLimiting;

namespace Gateway.Webhooks.Delivery;

/// <summary>
/// Without Redis, a replica is the whole fleet: each destination's token bucket is in memory, and a pause is kept by
/// <see cref="WebhookPacing"/> alone.
/// </summary>
internal sealed class SingleReplicaPacing : IFleetPacing
{
    public RateLimiter CreateBucket(string destination, WebhookRateLimitOptions rate) => new TokenBucketRateLimiter(LocalBucket(rate));

    public ValueTask PauseAsync(string destination, TimeSpan retryAfter, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>The in-memory token bucket of <paramref name="rate"/>; the shared bucket falls back to it too.</summary>
    public static TokenBucketRateLimiterOptions LocalBucket(WebhookRateLimitOptions rate)
    {
        // Up to 20 a second, one token at a time; faster rates add several tokens every 50 ms.
        var (tokens, period) = rate.MessagesPerSecond <= 20
            ? (1, TimeSpan.FromSeconds(1 / rate.MessagesPerSecond))
            : ((int)Math.Round(rate.MessagesPerSecond / 20), TimeSpan.FromMilliseconds(50));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate.Burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            AutoReplenishment = true,

            // Only the destination's own delivery loop asks, one attempt at a time.
            QueueLimit = 1,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        };
    }
}
