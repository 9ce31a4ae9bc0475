// A uniform error envelope: RFC 9457 problem details, carrying the trace id that the gateway's logs carry too.
// An upstream's own body (an HTML error page, a stack trace) is never passed on: only the gateway's message is.
var detail = Request.Termination == TerminationKind.UpstreamResponse
    ? $"The upstream answered {Status}."
    : Body?["message"]?.ToString() ?? Text;
var title = Status switch
{
    400 => "Bad Request",
    401 => "Unauthorized",
    403 => "Forbidden",
    404 => "Not Found",
    413 => "Content Too Large",
    429 => "Too Many Requests",
    500 => "Internal Server Error",
    502 => "Bad Gateway",
    503 => "Service Unavailable",
    504 => "Gateway Timeout",
    _ => Status < 500 ? "Client Error" : "Server Error",
};

Headers["Content-Type"] = "application/problem+json";
Body = new JsonObject
{
    ["type"] = "about:blank",
    ["title"] = title,
    ["status"] = Status,
    ["detail"] = detail,
    ["instance"] = Request.Path,
    ["traceId"] = Request.TraceId,
};
