namespace Gateway.RateLimiting;

/// <summary>What a rate limit counts requests by.</summary>
internal enum RateLimitKey
{
    /// <summary>The client's IP address.</summary>
    ClientIp,

    /// <summary>The authenticated consumer (the API key's owner), else the client's IP address.</summary>
    Consumer,
}
