using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Coordination;

/// <summary>
/// Behind <c>/readyz</c>: Redis answers a PING in time (Healthy), or it does not and the gateway decides from local
/// state (Degraded, never Unhealthy: a replica without Redis still serves).
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public const string Name = "redis";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (answered, latency) = await redis.TryAsync("ping", null, database => database.PingAsync(), cancellationToken);
        return answered
            ? HealthCheckResult.Healthy($"Redis answers ({latency.TotalMilliseconds:0.#} ms); rate limits are shared.")
            : HealthCheckResult.Degraded("Redis does not answer; rate limits are per replica until it does.");
    }
}
