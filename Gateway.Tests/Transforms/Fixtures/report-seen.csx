// Answers with what the transform was given: the body, the headers and what Request says about the upstream.
var sawBody = Body?.ToJsonString();
var sawText = Text;
var sawHeaders = string.Join(",", Headers.Names);
Body = new JsonObject
{
    ["termination"] = Request.Termination.ToString(),
    ["destination"] = Request.Destination,
    ["upstreamStatus"] = Request.UpstreamStatus,
    ["latencyMs"] = Request.UpstreamLatency?.TotalMilliseconds,
    ["sawBody"] = sawBody,
    ["sawText"] = sawText,
    ["sawContentType"] = Headers["Content-Type"],
    ["sawHeaders"] = sawHeaders,
};
