using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Gateway.Scripting.Execution;

namespace Gateway.Scripting.Testing;

/// <summary>
/// A made-up termination for a transform to run over: the response as the gateway or the upstream produced it, and
/// the request it answers. Immutable: every <c>With...</c> returns a new one, so a test class can share a base input.
/// </summary>
/// <remarks>
/// <code>
/// Termination.Gateway(401, "No API key found in request").WithRequest(method: "POST", path: "/orders")
/// Termination.Upstream(503).WithText("&lt;html&gt;down&lt;/html&gt;", "text/html").WithRoute("api")
/// </code>
/// The defaults mirror what the gateway hands a transform for a <c>GET http://example.com/</c> on the bundled
/// <c>example</c> route: a gateway termination's body is <c>{"message": "..."}</c>; a 401 carries
/// <c>WWW-Authenticate: Key realm="gateway"</c>; credentials in the request read <c>[redacted]</c>; a request the
/// gateway forwarded (an upstream's response, 502, 504) names its destination and latency.
/// </remarks>
public sealed record Termination
{
    /// <summary>The W3C trace id every made-up request carries unless <see cref="WithTraceId"/> says otherwise.</summary>
    public const string DefaultTraceId = "0af7651916cd43dd8448eb211c80319c";

    /// <summary>The upstream address forwarded requests name unless <see cref="WithUpstream"/> says otherwise: the bundled demo upstream.</summary>
    public const string DefaultDestination = "http://127.0.0.1:8001/";

    private Termination(TerminationKind kind, int status)
    {
        Kind = kind;
        Status = status;
        RouteId = kind == TerminationKind.NoRoute ? null : "example";
        // The gateway had forwarded the request before it ended, so the upstream's address is known.
        if (kind is TerminationKind.UpstreamUnreachable or TerminationKind.UpstreamTimeout or TerminationKind.UpstreamResponse)
        {
            Destination = DefaultDestination;
            UpstreamLatency = kind == TerminationKind.UpstreamTimeout
                ? TimeSpan.FromSeconds(2) // the bundled cluster's ActivityTimeout
                : TimeSpan.FromMilliseconds(25);
        }
    }

    /// <summary>What ended the request.</summary>
    public TerminationKind Kind { get; private init; }

    /// <summary>The status the transforms first see.</summary>
    public int Status { get; private init; }

    /// <summary>The body as JSON, or <see langword="null"/>.</summary>
    public JsonNode? Body { get; private init; }

    /// <summary>The body as text when it is not JSON, or <see langword="null"/>.</summary>
    public string? Text { get; private init; }

    /// <summary>The response headers, in order; a name may appear more than once.</summary>
    public ImmutableList<KeyValuePair<string, string>> Headers { get; private init; } = [];

    /// <summary>The request method. Default <c>GET</c>.</summary>
    public string Method { get; private init; } = "GET";

    /// <summary>The request's host. Default <c>example.com</c>.</summary>
    public string Host { get; private init; } = "example.com";

    /// <summary>The request path. Default <c>/</c>.</summary>
    public string Path { get; private init; } = "/";

    /// <summary>The query string with its leading <c>?</c>, or empty (the default).</summary>
    public string Query { get; private init; } = string.Empty;

    /// <summary>The request headers as sent, before redaction; <c>Host</c> is added from <see cref="Host"/> unless set here.</summary>
    public ImmutableDictionary<string, string> RequestHeaders { get; private init; } =
        ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.OrdinalIgnoreCase);

    /// <summary>The client's IP address. Default <c>127.0.0.1</c>.</summary>
    public string? ClientIp { get; private init; } = "127.0.0.1";

    /// <summary>The route that matched: <c>example</c> by default, <see langword="null"/> for <see cref="TerminationKind.NoRoute"/>.</summary>
    public string? RouteId { get; private init; }

    /// <summary>The request's trace id. Default <see cref="DefaultTraceId"/>.</summary>
    public string TraceId { get; private init; } = DefaultTraceId;

    /// <summary>The upstream address the request was forwarded to, or <see langword="null"/> when it was not.</summary>
    public string? Destination { get; private init; }

    /// <summary>The upstream's own status, or <see langword="null"/> when no upstream answered.</summary>
    public int? UpstreamStatus { get; private init; }

    /// <summary>How long the upstream took, or <see langword="null"/> when the request was not forwarded.</summary>
    public TimeSpan? UpstreamLatency { get; private init; }

    /// <summary>A termination the gateway produced itself, with the body <c>{"message": "..."}</c>; its kind follows from the status.</summary>
    /// <param name="status">400, 401, 403, 404, 413, 429, 500, 502, 503 or 504.</param>
    /// <param name="message">The <c>message</c> of the body, e.g. <c>No API key found in request</c>.</param>
    /// <returns>The termination.</returns>
    /// <exception cref="ArgumentException">The gateway never produces <paramref name="status"/> itself.</exception>
    public static Termination Gateway(int status, string message) =>
        GatewayTerminations.TryOf(status, out var termination)
            ? Gateway(termination.Kind, message)
            : throw new ArgumentException(
                $"The gateway never ends a request with {status} itself; use Termination.Gateway(TerminationKind, message) or Termination.Upstream({status}).",
                nameof(status));

    /// <summary>A termination the gateway produces itself, exactly as it does: a row of <see cref="GatewayTerminations"/>.</summary>
    /// <param name="termination">E.g. <see cref="GatewayTerminations.NoApiKey"/>.</param>
    /// <returns>The termination.</returns>
    public static Termination Gateway(GatewayTermination termination)
    {
        ArgumentNullException.ThrowIfNull(termination);
        return Gateway(termination.Kind, termination.Message);
    }

    /// <summary>A termination the gateway produced itself, with the body <c>{"message": "..."}</c> and the status of its kind.</summary>
    /// <param name="kind">Why the gateway ended the request; not <see cref="TerminationKind.UpstreamResponse"/>.</param>
    /// <param name="message">The <c>message</c> of the body.</param>
    /// <returns>The termination.</returns>
    public static Termination Gateway(TerminationKind kind, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var termination = new Termination(kind, GatewayTerminations.Of(kind).Status) { Body = new JsonObject { ["message"] = message } };
        return kind == TerminationKind.Unauthorized ? termination.WithHeader("WWW-Authenticate", "Key realm=\"gateway\"") : termination;
    }

    /// <summary>A non-2xx response the upstream sent, with no body until <see cref="WithJson(string, string)"/> or <see cref="WithText"/>.</summary>
    /// <param name="status">
    /// The upstream's status, within 300–599 (1xx and 2xx responses stream through untouched: no transform sees
    /// them); it is also <see cref="UpstreamStatus"/>.
    /// </param>
    /// <returns>The termination.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is outside 300–599.</exception>
    public static Termination Upstream(int status)
    {
        if (status is < 300 or > 599)
        {
            throw new ArgumentOutOfRangeException(
                nameof(status), status, "Transforms see an upstream's 300-599 responses only: 1xx and 2xx stream through untouched.");
        }

        return new Termination(TerminationKind.UpstreamResponse, status) { UpstreamStatus = status };
    }

    /// <summary>Replaces the body with JSON; an upstream's response also gets its <c>Content-Type</c>.</summary>
    /// <param name="json">The body, e.g. <c>{"error":"down"}</c>.</param>
    /// <param name="contentType">The upstream's <c>Content-Type</c>; ignored for a gateway termination, whose type is decided on writing.</param>
    /// <returns>A new termination.</returns>
    public Termination WithJson(string json, string contentType = "application/json; charset=utf-8") =>
        WithJson(JsonNode.Parse(json), contentType);

    /// <summary>Replaces the body with JSON; an upstream's response also gets its <c>Content-Type</c>.</summary>
    /// <param name="body">The body.</param>
    /// <param name="contentType">The upstream's <c>Content-Type</c>; ignored for a gateway termination.</param>
    /// <returns>A new termination.</returns>
    public Termination WithJson(JsonNode? body, string contentType = "application/json; charset=utf-8") =>
        WithContentType(contentType) with { Body = body?.DeepClone(), Text = null };

    /// <summary>Replaces the body with text (as the gateway reads a body that is not JSON); an upstream's response also gets its <c>Content-Type</c>.</summary>
    /// <param name="text">The body.</param>
    /// <param name="contentType">The upstream's <c>Content-Type</c>; ignored for a gateway termination.</param>
    /// <returns>A new termination.</returns>
    public Termination WithText(string text, string contentType = "text/plain; charset=utf-8") =>
        WithContentType(contentType) with { Body = null, Text = text };

    /// <summary>Removes the body.</summary>
    /// <returns>A new termination.</returns>
    public Termination WithoutBody() => this with { Body = null, Text = null };

    /// <summary>Adds a response header, keeping any values it already has.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The value.</param>
    /// <returns>A new termination.</returns>
    public Termination WithHeader(string name, string value) =>
        this with { Headers = Headers.Add(new(name, value)) };

    /// <summary>Changes what the request was; a <see langword="null"/> argument keeps the current value.</summary>
    /// <param name="method">The method, e.g. <c>POST</c>.</param>
    /// <param name="host">The host, e.g. <c>api.example.com</c>.</param>
    /// <param name="path">The path, starting with <c>/</c>.</param>
    /// <param name="query">The query string with its leading <c>?</c>.</param>
    /// <returns>A new termination.</returns>
    public Termination WithRequest(string? method = null, string? host = null, string? path = null, string? query = null) =>
        this with { Method = method ?? Method, Host = host ?? Host, Path = path ?? Path, Query = query ?? Query };

    /// <summary>Sets a request header. Credentials still read <c>[redacted]</c> to the script, as in the gateway.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The value; several values joined with <c>", "</c>.</param>
    /// <returns>A new termination.</returns>
    public Termination WithRequestHeader(string name, string value) =>
        this with { RequestHeaders = RequestHeaders.SetItem(name, value) };

    /// <summary>Sets the route that matched, or <see langword="null"/> for none.</summary>
    /// <param name="routeId">The route id.</param>
    /// <returns>A new termination.</returns>
    public Termination WithRoute(string? routeId) => this with { RouteId = routeId };

    /// <summary>Sets the client's IP address.</summary>
    /// <param name="clientIp">The address, or <see langword="null"/> when unknown.</param>
    /// <returns>A new termination.</returns>
    public Termination WithClientIp(string? clientIp) => this with { ClientIp = clientIp };

    /// <summary>Sets the request's trace id.</summary>
    /// <param name="traceId">The W3C trace id.</param>
    /// <returns>A new termination.</returns>
    public Termination WithTraceId(string traceId) => this with { TraceId = traceId };

    /// <summary>Sets what is known of the upstream; a <see langword="null"/> argument keeps the current value.</summary>
    /// <param name="status">The upstream's own status.</param>
    /// <param name="latency">How long it took, or how long the gateway waited.</param>
    /// <param name="destination">The address forwarded to.</param>
    /// <returns>A new termination.</returns>
    public Termination WithUpstream(int? status = null, TimeSpan? latency = null, string? destination = null) =>
        this with
        {
            UpstreamStatus = status ?? UpstreamStatus,
            UpstreamLatency = latency ?? UpstreamLatency,
            Destination = destination ?? Destination ?? DefaultDestination,
        };

    /// <summary>The response as the runner takes it. Each call returns fresh copies.</summary>
    /// <returns>The response.</returns>
    public ExitResponse ToExitResponse()
    {
        var headers = new ResponseHeaders();
        foreach (var (name, value) in Headers)
        {
            headers.Append(name, value);
        }

        return new ExitResponse(Status, Body?.DeepClone(), Body is null ? Text : null, headers);
    }

    /// <summary>The request as a script sees it, with credentials redacted as the gateway redacts them.</summary>
    /// <returns>The request.</returns>
    public RequestInfo ToRequestInfo()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Host"] = Host };
        foreach (var (name, value) in RequestHeaders)
        {
            headers[name] = RequestRedaction.Header(name, value);
        }

        return new RequestInfo(Method, Host, Path, RequestRedaction.Query(Query), headers, ClientIp, RouteId, TraceId, Kind)
        {
            Destination = Destination,
            UpstreamStatus = UpstreamStatus,
            UpstreamLatency = UpstreamLatency,
        };
    }

    private Termination WithContentType(string contentType) =>
        Kind == TerminationKind.UpstreamResponse
            ? this with { Headers = [.. Headers.Where(h => !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)), new("Content-Type", contentType)] }
            : this;
}
