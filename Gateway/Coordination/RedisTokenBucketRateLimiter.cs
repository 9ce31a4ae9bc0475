using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Webhooks;
using Gateway.Webhooks.Delivery;
using StackExchange.Redis;

namespace Gateway.Coordination;

/// <summary>
/// A destination's token bucket kept in Redis, so that every replica takes its tokens from the same bucket: an atomic
/// script refills it from Redis' own clock (<c>TIME</c>, so replicas' clocks play no part), takes a token when there is
/// one, and otherwise says how long until the next, which the caller waits before asking again. While the
/// destination's pause key exists (a 429's <c>Retry-After</c>, set by any replica), no token is granted. When Redis
/// does not answer within the operation timeout, the token comes from a local bucket of the same rate (fail open:
/// per replica, as without Redis) and a fallback is counted.
/// </summary>
internal sealed class RedisTokenBucketRateLimiter : RateLimiter
{
    // KEYS[1] the bucket (hash: tokens, at), KEYS[2] the pause. ARGV[1] tokens per ms, ARGV[2] the burst,
    // ARGV[3] tokens asked for. Returns { 1 granted | 0 not, ms to wait before asking again }.
    private const string Script = """
        local pause = redis.call('PTTL', KEYS[2])
        if pause > 0 then return { 0, pause } end
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local rate = tonumber(ARGV[1])
        local burst = tonumber(ARGV[2])
        local wanted = tonumber(ARGV[3])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
        local tokens = tonumber(state[1]) or burst
        local at = tonumber(state[2]) or now
        if now > at then tokens = math.min(burst, tokens + (now - at) * rate) end
        local granted, wait = 0, 0
        if tokens >= wanted then
          tokens = tokens - wanted
          granted = 1
        else
          wait = math.ceil((wanted - tokens) / rate)
        end
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
        redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
        return { granted, wait }
        """;

    // A granted token is spent: nothing to give back.
    private static readonly RateLimitLease Granted = new TokenLease(true);
    private static readonly RateLimitLease Refused = new TokenLease(false);

    private readonly RedisConnection _redis;
    private readonly RedisKey _bucket;
    private readonly RedisKey _pause;
    private readonly TimeProvider _time;
    private readonly string _perMillisecond;
    private readonly int _burst;
    private readonly TokenBucketRateLimiter _local;
    private long _lastUsedTicks = Environment.TickCount64;

    public RedisTokenBucketRateLimiter(RedisConnection redis, RedisKey bucket, RedisKey pause, WebhookRateLimitOptions rate, TimeProvider time)
    {
        _redis = redis;
        _bucket = bucket;
        _pause = pause;
        _time = time;
        _perMillisecond = (rate.MessagesPerSecond / 1000).ToString("R", CultureInfo.InvariantCulture);
        _burst = rate.Burst;
        _local = new TokenBucketRateLimiter(SingleReplicaPacing.LocalBucket(rate));
    }

    public override TimeSpan? IdleDuration => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastUsedTicks));

    public override RateLimiterStatistics? GetStatistics() => _local.GetStatistics();

    // Only the asynchronous path asks Redis.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Refused;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount > _burst)
        {
            return Refused;
        }

        while (true)
        {
            Interlocked.Exchange(ref _lastUsedTicks, Environment.TickCount64);
            var (answered, result) = await _redis.TryAsync(
                "pacing_take",
                RedisFleetPacing.Feature,
                database => database.ScriptEvaluateAsync(Script, [_bucket, _pause], [_perMillisecond, _burst, permitCount]),
                cancellationToken);
            if (!answered || result is null)
            {
                return await _local.AcquireAsync(permitCount, cancellationToken);
            }

            var values = (RedisResult[])result!;
            if ((long)values[0] == 1)
            {
                return Granted;
            }

            // Another replica took the token, or the destination is paused: wait as long as Redis says, then ask again.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, (long)values[1])), _time, cancellationToken);
        }
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

    private sealed class TokenLease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
