namespace Gateway.RateLimiting;

/// <summary>Where a rate limit's counts live.</summary>
internal enum RateLimitStore
{
    /// <summary>In this process: with several replicas, each allows the limit on its own.</summary>
    Local,

    /// <summary>
    /// In Redis (<c>Gateway:Redis:Configuration</c>), shared by every replica; when Redis does not answer in time, the
    /// replica decides locally, as with <see cref="Local"/>.
    /// </summary>
    Redis,
}
