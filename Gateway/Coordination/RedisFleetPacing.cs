using Gateway.Webhooks;
using Gateway.Webhooks.Delivery;
using StackExchange.Redis;
using System.Threading.RateLimiting;

namespace Gateway.Coordination;

/// <summary>
/// Each destination's rate shared by the fleet through Redis: one token bucket per destination
/// (<see cref="RedisTokenBucketRateLimiter"/>), and a pause key with a PX expiry that a 429's <c>Retry-After</c> sets
/// and that every replica's bucket checks before it grants a token.
/// </summary>
internal sealed class RedisFleetPacing(RedisConnection redis, TimeProvider time) : IFleetPacing
{
    public const string Feature = "pacing";

    // KEYS[1] the pause; ARGV[1] its length in ms. A longer pause already set is kept.
    private const string PauseScript = """
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
          redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
        end
        return 1
        """;

    public RateLimiter CreateBucket(string destination, WebhookRateLimitOptions rate) =>
        new RedisTokenBucketRateLimiter(redis, BucketKey(destination), PauseKey(destination), rate, time);

    public async ValueTask PauseAsync(string destination, TimeSpan retryAfter, CancellationToken cancellationToken) =>
        await redis.TryAsync(
            "pacing_pause",
            Feature,
            database => database.ScriptEvaluateAsync(PauseScript, [PauseKey(destination)], [(long)Math.Ceiling(retryAfter.TotalMilliseconds)]),
            cancellationToken);

    // One hash slot per destination (the braces), so that the bucket's script may touch both keys.
    private RedisKey BucketKey(string destination) => redis.Key($"pacing:{{{destination.ToUpperInvariant()}}}");

    private RedisKey PauseKey(string destination) => redis.Key($"pacing:{{{destination.ToUpperInvariant()}}}:pause");
}
