namespace Gateway.Scripting;

/// <summary>A read-only view of the request whose response a transform is reshaping.</summary>
/// <remarks>
/// Credentials are redacted: the <c>apikey</c>, <c>Authorization</c>, <c>Proxy-Authorization</c> and
/// <c>Cookie</c> headers and the <c>apikey</c> query parameter read as <c>[redacted]</c>, so a script
/// that forwards the request to a chat channel cannot leak them.
/// </remarks>
public sealed class RequestInfo
{
    /// <summary>Creates a request view. The gateway builds these; tests build them with made-up values.</summary>
    /// <param name="method">The HTTP method, e.g. <c>GET</c>.</param>
    /// <param name="host">The Host header, e.g. <c>example.com</c>.</param>
    /// <param name="path">The path, starting with <c>/</c>.</param>
    /// <param name="query">The query string including its leading <c>?</c>, or empty.</param>
    /// <param name="headers">
    /// The request headers, already redacted; copied (a <see cref="RequestHeaders"/> is taken as it is, being
    /// read-only), so that changing the dictionary afterwards changes nothing a script sees.
    /// </param>
    /// <param name="clientIp">The client's IP address, when known.</param>
    /// <param name="routeId">The id of the route that matched, or <see langword="null"/> when none did.</param>
    /// <param name="traceId">The W3C trace id of the request.</param>
    /// <param name="termination">What ended the request.</param>
    public RequestInfo(
        string method,
        string host,
        string path,
        string query,
        IReadOnlyDictionary<string, string> headers,
        string? clientIp,
        string? routeId,
        string traceId,
        TerminationKind termination)
    {
        Method = method;
        Host = host;
        Path = path;
        Query = query;
        ArgumentNullException.ThrowIfNull(headers);
        Headers = headers as RequestHeaders ?? new RequestHeaders(headers);
        ClientIp = clientIp;
        RouteId = routeId;
        TraceId = traceId;
        Termination = termination;
    }

    /// <summary>The HTTP method, e.g. <c>GET</c>.</summary>
    public string Method { get; }

    /// <summary>The Host header, e.g. <c>example.com</c> (with the port when one was sent).</summary>
    public string Host { get; }

    /// <summary>The request path, starting with <c>/</c>.</summary>
    public string Path { get; }

    /// <summary>The query string including its leading <c>?</c>, or an empty string.</summary>
    public string Query { get; }

    /// <summary>
    /// The request headers, read-only and case-insensitive by name; several values are joined with <c>", "</c>.
    /// <c>Request.Headers["content-type"]</c> is <see langword="null"/> when the request did not send it.
    /// </summary>
    public RequestHeaders Headers { get; }

    /// <summary>The client's IP address, when known.</summary>
    public string? ClientIp { get; }

    /// <summary>The id of the route that matched, or <see langword="null"/> when no route did.</summary>
    public string? RouteId { get; }

    /// <summary>The W3C trace id of the request, the one the gateway's logs carry.</summary>
    public string TraceId { get; }

    /// <summary>What ended the request, and whether the gateway or the upstream ended it.</summary>
    public TerminationKind Termination { get; }

    /// <summary>
    /// The address of the upstream destination the request was forwarded to, e.g. <c>http://10.0.0.5:8080/</c>
    /// (any user name and password in it removed); <see langword="null"/> when the request was not forwarded.
    /// </summary>
    public string? Destination { get; init; }

    /// <summary>
    /// The status the upstream answered with, before any transform changed it; <see langword="null"/> when
    /// no upstream answered (the gateway ended the request).
    /// </summary>
    public int? UpstreamStatus { get; init; }

    /// <summary>
    /// How long the upstream took to send its status and headers, counted from when the gateway sent the
    /// request; when the upstream did not answer (a timeout, a refused connection), how long the gateway
    /// waited. <see langword="null"/> when the request was not forwarded.
    /// </summary>
    public TimeSpan? UpstreamLatency { get; init; }
}
