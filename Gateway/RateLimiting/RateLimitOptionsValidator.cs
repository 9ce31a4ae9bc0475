using Gateway.Coordination;
using Microsoft.Extensions.Options;

namespace Gateway.RateLimiting;

/// <summary>
/// Refuses, at start-up and in <c>check</c>, a policy whose <c>PermitLimit</c> or <c>Window</c> is not positive, or
/// that keeps its counts in Redis when no Redis is configured, naming the key.
/// </summary>
internal sealed class RateLimitOptionsValidator(IOptions<RedisOptions> redis) : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (policy, settings) in options.Policies)
        {
            if (settings.PermitLimit <= 0)
            {
                failures.Add($"{RateLimitPolicyOptions.Section}:{policy}:PermitLimit is {settings.PermitLimit}; it must be positive.");
            }

            if (settings.Window <= TimeSpan.Zero)
            {
                failures.Add($"{RateLimitPolicyOptions.Section}:{policy}:Window is {settings.Window}; it must be positive.");
            }

            if (settings.Store == RateLimitStore.Redis && !redis.Value.Enabled)
            {
                failures.Add($"{RateLimitPolicyOptions.Section}:{policy}:Store is Redis, but {RedisOptions.Section}:Configuration is not set.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
