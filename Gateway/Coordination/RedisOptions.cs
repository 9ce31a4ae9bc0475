namespace Gateway.Coordination;

/// <summary>
/// The <c>Gateway:Redis</c> section: with <see cref="Configuration"/> set, replicas share rate limits through Redis;
/// unset (the default), the gateway runs on its own and no Redis code is registered.
/// </summary>
internal sealed class RedisOptions
{
    public const string Section = "Gateway:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379</c>; null or empty turns Redis off.</summary>
    public string? Configuration { get; set; }

    /// <summary>Put in front of every key, so that several gateways (or other programs) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "gateway:";

    /// <summary>
    /// How long one Redis call may take before the gateway gives up on it and falls back to local state. Short: a
    /// request waits for it.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Fallbacks are logged at most once per interval (with how many there were), not once each.</summary>
    public TimeSpan WarningInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a message taken from the shared queue may go without a sign of life from the replica that took it before
    /// another replica takes it over (that replica is taken for dead). A live replica renews its claim while it posts.
    /// </summary>
    public TimeSpan ClaimAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether Redis is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Configuration);

    /// <summary>Whether <paramref name="configuration"/> turns Redis on, read before the options are built.</summary>
    public static bool IsEnabled(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[Section + ":" + nameof(Configuration)]);
}
