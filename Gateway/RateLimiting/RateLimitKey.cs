namespace Gateway.RateLimiting;

/// <summary>What a rate limit counts requests by.</summary>
internal enum RateLimitKey
{
    /// <summary>The client's IP address.</summary>
    ClientIp,

    /// <summary>
    /// The consumer whose API key the request presents, else (no key, or a key no consumer has) the client's IP
    /// address. The key is checked here, before authentication, which reuses the answer.
    /// </summary>
    Consumer,
}
