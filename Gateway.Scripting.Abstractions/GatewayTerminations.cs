using System.Collections.Frozen;

namespace Gateway.Scripting;

/// <summary>
/// The one table of the terminations the gateway produces itself: kind, status, message and problem title. The
/// gateway answers from it, the testing API and the <c>try</c> command make up their input from it, and README's
/// table of terminations is checked against it.
/// </summary>
/// <remarks>
/// A kind can have more than one row (a missing key and a wrong key are both <see cref="TerminationKind.Unauthorized"/>);
/// the first row of a kind is its default. To add a termination, add a row here (and to <see cref="All"/>), a member to
/// <see cref="TerminationKind"/> when it is a new kind, and a line to README's table.
/// </remarks>
public static class GatewayTerminations
{
    /// <summary>The route requires an API key and the request has none (401).</summary>
    public static readonly GatewayTermination NoApiKey = new(TerminationKind.Unauthorized, 401, "No API key found in request", "Unauthorized");

    /// <summary>The request's API key matches no consumer (401).</summary>
    public static readonly GatewayTermination InvalidApiKey = new(TerminationKind.Unauthorized, 401, "Invalid authentication credentials", "Unauthorized");

    /// <summary>Authorization refused an authenticated consumer (403).</summary>
    public static readonly GatewayTermination Forbidden = new(TerminationKind.Forbidden, 403, "You cannot consume this service", "Forbidden");

    /// <summary>No route matched the request (404).</summary>
    public static readonly GatewayTermination NoRoute = new(TerminationKind.NoRoute, 404, "No route matched the request", "Not Found");

    /// <summary>The route's rate limit refused the request (429).</summary>
    public static readonly GatewayTermination RateLimited = new(TerminationKind.RateLimited, 429, "API rate limit exceeded", "Too Many Requests");

    /// <summary>The request body is over the route's limit (413).</summary>
    public static readonly GatewayTermination PayloadTooLarge = new(TerminationKind.PayloadTooLarge, 413, "Request body too large", "Content Too Large");

    /// <summary>The client's request body failed while it was being forwarded (400).</summary>
    public static readonly GatewayTermination BadRequestBody = new(TerminationKind.BadRequest, 400, "The request body could not be read", "Bad Request");

    /// <summary>The upstream could not be reached (502).</summary>
    public static readonly GatewayTermination UpstreamUnreachable = new(TerminationKind.UpstreamUnreachable, 502, "The upstream server could not be reached", "Bad Gateway");

    /// <summary>The upstream's response could not be read (502).</summary>
    public static readonly GatewayTermination UpstreamInvalidResponse = new(TerminationKind.UpstreamUnreachable, 502, "An invalid response was received from the upstream server", "Bad Gateway");

    /// <summary>The upstream did not answer within the cluster's activity timeout (504).</summary>
    public static readonly GatewayTermination UpstreamTimeout = new(TerminationKind.UpstreamTimeout, 504, "The upstream server did not answer in time", "Gateway Timeout");

    /// <summary>The route's cluster has no healthy destination (503).</summary>
    public static readonly GatewayTermination NoHealthyDestination = new(TerminationKind.NoHealthyDestination, 503, "No healthy upstream destination is available", "Service Unavailable");

    /// <summary>An unexpected exception in the gateway, before the response had started (500).</summary>
    public static readonly GatewayTermination GatewayError = new(TerminationKind.GatewayError, 500, "An unexpected error occurred in the gateway", "Internal Server Error");

    /// <summary>Every row, in the order README lists them; the first row of a kind is its default.</summary>
    public static IReadOnlyList<GatewayTermination> All { get; } =
    [
        NoApiKey, InvalidApiKey, Forbidden, NoRoute, RateLimited, PayloadTooLarge, BadRequestBody,
        UpstreamUnreachable, UpstreamInvalidResponse, UpstreamTimeout, NoHealthyDestination, GatewayError,
    ];

    // After All: static initialisers run in the order they are written.
    private static readonly FrozenDictionary<TerminationKind, GatewayTermination> ByKind =
        All.GroupBy(t => t.Kind).ToFrozenDictionary(g => g.Key, g => g.First());

    private static readonly FrozenDictionary<int, GatewayTermination> ByStatus =
        All.GroupBy(t => t.Status).ToFrozenDictionary(g => g.Key, g => g.First());

    /// <summary>The default row of <paramref name="kind"/>.</summary>
    /// <param name="kind">A kind the gateway produces itself.</param>
    /// <returns>The row.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is <see cref="TerminationKind.UpstreamResponse"/>: the upstream produced it.</exception>
    public static GatewayTermination Of(TerminationKind kind) =>
        ByKind.TryGetValue(kind, out var termination)
            ? termination
            : throw new ArgumentException($"{kind} is not a termination the gateway produces; use Termination.Upstream for an upstream's response.", nameof(kind));

    /// <summary>The default row for a status the gateway answers with itself.</summary>
    /// <param name="status">The status.</param>
    /// <param name="termination">The first row with that status, when there is one.</param>
    /// <returns>Whether the gateway ever ends a request with <paramref name="status"/> itself.</returns>
    public static bool TryOf(int status, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out GatewayTermination? termination) =>
        ByStatus.TryGetValue(status, out termination);

    /// <summary>The problem details <c>title</c> for any status: the table's title, or a generic one for a status the gateway never produces.</summary>
    /// <param name="status">The status, e.g. an upstream's 409.</param>
    /// <returns>E.g. <c>Unauthorized</c>, <c>Client Error</c>, <c>Server Error</c>.</returns>
    public static string TitleOf(int status) =>
        TryOf(status, out var termination) ? termination.Title : status < 500 ? "Client Error" : "Server Error";
}
