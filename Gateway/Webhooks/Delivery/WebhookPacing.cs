using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly;

namespace Gateway.Webhooks.Delivery;

/// <summary>
/// Each destination's token bucket (<c>RateLimit</c>), shared by its delivery loop and its Polly pipeline. The loop
/// takes the token for a post's first attempt <em>before</em> it decides what the post carries, so that whatever
/// waited for the token meanwhile goes out together, as one digest; the pipeline takes one for every retry. The
/// buckets come from <see cref="IFleetPacing"/>: in memory, or shared by the fleet through Redis. A 429 with
/// <c>Retry-After</c> pauses the destination here and, through <see cref="IFleetPacing"/>, for the whole fleet.
/// </summary>
internal sealed class WebhookPacing : IDisposable
{
    private static readonly ResiliencePropertyKey<RateLimitLease?> Prepaid = new("Gateway.Webhooks.PrepaidLease");

    private readonly Dictionary<string, RateLimiter> _limiters;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.OrdinalIgnoreCase);
    private readonly IFleetPacing _fleet;
    private readonly TimeProvider _time;

    public WebhookPacing(IOptions<WebhookOptions> options, IFleetPacing fleet, TimeProvider time)
    {
        _fleet = fleet;
        _time = time;
        _limiters = options.Value.Destinations.ToDictionary(
            destination => destination.Key,
            destination => fleet.CreateBucket(destination.Key, destination.Value.RateLimit),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Waits for <paramref name="destination"/>'s next token, for the first attempt of the next post.</summary>
    public async ValueTask<RateLimitLease> WaitForTurnAsync(string destination, CancellationToken cancellationToken)
    {
        if (_pausedUntil.TryGetValue(destination, out var until) && until - _time.GetUtcNow() is { Ticks: > 0 } left)
        {
            await Task.Delay(left, _time, cancellationToken);
        }

        return await _limiters[destination].AcquireAsync(1, cancellationToken);
    }

    /// <summary>
    /// <paramref name="destination"/> answered 429 with <c>Retry-After</c>: its next posts wait until
    /// <paramref name="retryAfter"/> has passed, on every replica of the fleet.
    /// </summary>
    public async ValueTask PauseAsync(string destination, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        var until = _time.GetUtcNow() + retryAfter;
        _pausedUntil.AddOrUpdate(destination, until, (_, previous) => previous > until ? previous : until);
        await _fleet.PauseAsync(destination, retryAfter, cancellationToken);
    }

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
}
