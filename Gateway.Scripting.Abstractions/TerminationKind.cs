namespace Gateway.Scripting;

/// <summary>Why a request ended the way it did, and who ended it: the gateway itself, or the upstream.</summary>
/// <remarks>
/// Every kind but <see cref="UpstreamResponse"/> is a response the gateway produced itself, starting as
/// <c>{"message": "..."}</c>. <see cref="UpstreamResponse"/> is a non-2xx response the upstream sent.
/// </remarks>
public enum TerminationKind
{
    /// <summary>The request carried no API key, or one the gateway does not know (401).</summary>
    Unauthorized,

    /// <summary>The request was authenticated but not allowed on this route (403).</summary>
    Forbidden,

    /// <summary>No route matched the request (404).</summary>
    NoRoute,

    /// <summary>The client went over the route's rate limit (429).</summary>
    RateLimited,

    /// <summary>The request body was larger than the route allows (413).</summary>
    PayloadTooLarge,

    /// <summary>The request itself was malformed, for example a broken request body (400).</summary>
    BadRequest,

    /// <summary>The upstream could not be reached (502).</summary>
    UpstreamUnreachable,

    /// <summary>The upstream did not answer in time (504).</summary>
    UpstreamTimeout,

    /// <summary>The route's cluster had no healthy destination (503).</summary>
    NoHealthyDestination,

    /// <summary>The gateway failed unexpectedly while handling the request (500).</summary>
    GatewayError,

    /// <summary>
    /// The upstream answered, with a status other than 2xx. The upstream ended the request, not the gateway:
    /// <c>Request.UpstreamStatus</c> holds its status, and <c>Body</c> or <c>Text</c> its body when the
    /// gateway could buffer it.
    /// </summary>
    UpstreamResponse,
}
