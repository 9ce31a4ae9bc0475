using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly;

namespace Gateway.Webhooks.Delivery;

/// <summary>
/// Each destination's token bucket (<c>RateLimit</c>), shared by its delivery loop and its Polly pipeline. The loop
/// takes the token for a post's first attempt <em>before</em> it decides what the post carries, so that whatever
/// waited for the token meanwhile goes out together, as one digest; the pipeline takes one for every retry.
/// </summary>
internal sealed class WebhookPacing : IDisposable
{
    private static readonly ResiliencePropertyKey<RateLimitLease?> Prepaid = new("Gateway.Webhooks.PrepaidLease");

    private readonly Dictionary<string, TokenBucketRateLimiter> _limiters;

    public WebhookPacing(IOptions<WebhookOptions> options)
    {
        _limiters = options.Value.Destinations.ToDictionary(
            destination => destination.Key,
            destination => new TokenBucketRateLimiter(TokenBucket(destination.Value.RateLimit)),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Waits for <paramref name="destination"/>'s next token, for the first attempt of the next post.</summary>
    public ValueTask<RateLimitLease> WaitForTurnAsync(string destination, CancellationToken cancellationToken) =>
        _limiters[destination].AcquireAsync(1, cancellationToken);

    /// <summary>Hands the token the loop took to the first attempt of the post that <paramref name="context"/> carries.</summary>
    public static void Prepay(ResilienceContext context, RateLimitLease lease) => context.Properties.Set(Prepaid, lease);

    /// <summary>For the Polly pipeline: the prepaid token for the first attempt, a new one for each retry.</summary>
    public ValueTask<RateLimitLease> AcquireForAttemptAsync(string destination, ResilienceContext context)
    {
        if (context.Properties.TryGetValue(Prepaid, out var lease) && lease is not null)
        {
            context.Properties.Set(Prepaid, null);
            return ValueTask.FromResult(lease);
        }

        return _limiters[destination].AcquireAsync(1, context.CancellationToken);
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }

    private static TokenBucketRateLimiterOptions TokenBucket(WebhookRateLimitOptions rate)
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
