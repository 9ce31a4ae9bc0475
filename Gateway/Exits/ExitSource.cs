namespace Gateway.Exits;

/// <summary>Who made a request's final response: the <c>gateway.source</c> tag of <c>gateway.requests</c>.</summary>
internal enum ExitSource
{
    /// <summary>The upstream's response, passed through as it came (2xx, and non-2xx that no transform changed).</summary>
    Upstream,

    /// <summary>A termination the gateway made itself (401, 404, 429, 502...), whatever its transforms did to it.</summary>
    Gateway,

    /// <summary>The upstream's response, with its status, headers or body changed by a transform.</summary>
    Transform,
}
