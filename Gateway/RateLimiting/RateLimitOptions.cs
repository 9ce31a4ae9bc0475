namespace Gateway.RateLimiting;

/// <summary>The <c>Gateway:RateLimits</c> section as a whole: the named policies, validated at start-up.</summary>
internal sealed class RateLimitOptions
{
    public Dictionary<string, RateLimitPolicyOptions> Policies { get; } = new(StringComparer.OrdinalIgnoreCase);
}
