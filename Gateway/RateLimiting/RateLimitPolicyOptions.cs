namespace Gateway.RateLimiting;

/// <summary>One named rate-limit policy under <c>Gateway:RateLimits</c>, that routes name in <c>RateLimiterPolicy</c>.</summary>
internal sealed class RateLimitPolicyOptions
{
    public const string Section = "Gateway:RateLimits";

    /// <summary>Requests allowed per window and partition.</summary>
    public int PermitLimit { get; set; } = 100;

    /// <summary>The length of the fixed window.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What each client is counted by.</summary>
    public RateLimitKey PartitionBy { get; set; } = RateLimitKey.ClientIp;

    /// <summary>Where the counts live: in this process (the default) or in Redis, shared by every replica.</summary>
    public RateLimitStore Store { get; set; } = RateLimitStore.Local;
}
