using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Scripting.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Infrastructure;

/// <summary>Made-up requests and script globals, for running transforms without a server.</summary>
internal static class TestExits
{
    public static RequestInfo Request(TerminationKind termination = TerminationKind.Unauthorized) => new(
        "GET",
        "example.com",
        "/orders/42",
        "?page=2",
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Accept"] = "application/json" },
        "203.0.113.7",
        "orders",
        "0af7651916cd43dd8448eb211c80319c",
        termination);

    public static ExitContext Context(
        int status = 401,
        JsonNode? body = null,
        string? text = null,
        ResponseHeaders? headers = null,
        IWebhookSender? webhooks = null) =>
        new(status, body, text, headers ?? new ResponseHeaders(), Request(), webhooks ?? new RecordingWebhookSender(), NullLogger.Instance);
}
