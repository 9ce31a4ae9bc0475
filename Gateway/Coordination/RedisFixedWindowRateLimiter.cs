using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Gateway.Coordination;

/// <summary>
/// A fixed-window limiter for one partition (one client of one policy) whose count lives in Redis, so that every
/// replica counts into the same window: an atomic script increments the window's key and, on the first request,
/// sets its expiry to the window. The window starts with the partition's first request and is timed by Redis, so the
/// replicas' clocks play no part. When Redis does not answer within the operation timeout, the request is decided by
/// a local fixed window of the same limit (fail open: per replica, as without Redis) and a fallback is counted.
/// </summary>
internal sealed class RedisFixedWindowRateLimiter : RateLimiter
{
    public const string Feature = "rate_limit";

    // KEYS[1] the window's counter; ARGV[1] the window in ms, ARGV[2] the permits asked for.
    // Returns { count after this request, milliseconds left in the window }.
    private const string Script = """
        local count = redis.call('INCRBY', KEYS[1], ARGV[2])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return { count, ttl }
        """;

    private static readonly RateLimitLease Refused = new Lease(false, null);
    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly RedisConnection _redis;
    private readonly RedisKey _key;
    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly FixedWindowRateLimiter _local;
    private long _lastUsedTicks = Environment.TickCount64;

    public RedisFixedWindowRateLimiter(RedisConnection redis, string policy, string partition, int permitLimit, TimeSpan window)
    {
        _redis = redis;
        _key = redis.Key($"ratelimit:{{{policy}:{partition}}}");
        _permitLimit = permitLimit;
        _window = window;
        _local = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = window, QueueLimit = 0 });
    }

    public override TimeSpan? IdleDuration => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastUsedTicks));

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    // The middleware tries the synchronous path first and, when it is refused, waits on the asynchronous one:
    // Redis is only ever asked there.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Refused;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastUsedTicks, Environment.TickCount64);
        if (permitCount > _permitLimit)
        {
            return Refused;
        }

        var (answered, result) = await _redis.TryAsync(
            "rate_limit",
            Feature,
            database => database.ScriptEvaluateAsync(Script, [_key], [(long)_window.TotalMilliseconds, permitCount]),
            cancellationToken);
        if (!answered || result is null)
        {
            return _local.AttemptAcquire(permitCount);
        }

        var values = (RedisResult[])result!;
        var count = (long)values[0];
        return count <= _permitLimit ? Granted : new Lease(false, TimeSpan.FromMilliseconds(Math.Max(1, (long)values[1])));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _local.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await _local.DisposeAsync();
        await base.DisposeAsyncCore();
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } value && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = value;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
