using System.Text.Json.Nodes;
using Gateway.Scripting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>The gateway's 401 for a request without an API key, as a transform sees it.</summary>
internal static class SampleExit
{
    public const string Message = "No API key found in request";

    public static RequestInfo Request { get; } = new(
        "GET",
        "example.com",
        "/orders/42",
        string.Empty,
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Host"] = "example.com",
            ["User-Agent"] = "curl/8.5.0",
            ["Accept"] = "*/*",
        },
        "127.0.0.1",
        "example",
        "0af7651916cd43dd8448eb211c80319c",
        TerminationKind.Unauthorized);

    /// <summary>The body before any transform: <c>{"message": "No API key found in request"}</c>.</summary>
    public static JsonObject Body() => new() { ["message"] = Message };

    /// <summary>Globals for one run; the body object is shared and never changed by the sample transforms.</summary>
    public static ExitContext Context(JsonNode body) =>
        new(401, body, null, new ResponseHeaders(), Request, DiscardingWebhookSender.Instance, NullLogger.Instance);

    /// <summary>Puts <paramref name="context"/> back to the untransformed 401, so every invocation does the same work.</summary>
    public static void Reset(ExitContext context, JsonNode body)
    {
        context.Status = 401;
        context.Body = body;
    }
}
