// A uniform error envelope: RFC 9457 problem details, carrying the trace id that the gateway's logs carry too.
// An upstream's own body (an HTML error page, a stack trace) is never passed on: only the gateway's message is.
var detail = Request.Termination == TerminationKind.UpstreamResponse
    ? $"The upstream answered {Status}."
    : Body?["message"]?.ToString() ?? Text;
// The status's reason phrase from the gateway's table of terminations; "Client Error" or "Server Error" otherwise.
var title = GatewayTerminations.TitleOf(Status);

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
