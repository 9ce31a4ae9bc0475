// RFC 9457 problem details for every termination. An upstream's own body is never copied into the answer,
// so an HTML stack trace cannot reach the client.
var fromUpstream = Request.Termination == TerminationKind.UpstreamResponse;
var detail = fromUpstream ? "The upstream service failed" : Body?["message"]?.ToString();
Headers["Content-Type"] = "application/problem+json";
Body = new JsonObject
{
    ["type"] = "about:blank",
    ["title"] = Status < 500 ? "Client Error" : "Server Error",
    ["status"] = Status,
    ["detail"] = detail,
    ["instance"] = Request.Path,
    ["traceId"] = Request.TraceId,
};
