using System.Text.Json.Nodes;
using Gateway.Scripting;

namespace Gateway.Benchmarks.Invocation;

/// <summary>
/// The sample transforms' logic written as plain C# lambdas over the same globals: what a transform would cost
/// if invoking a script cost nothing. Keep each in step with its <c>.csx</c>.
/// </summary>
internal static class LambdaTwins
{
    public static readonly Func<ExitContext, Task> Empty = _ => Task.CompletedTask;

    /// <summary>Transforms/arr.csx.</summary>
    public static readonly Func<ExitContext, Task> Arr = g =>
    {
        if (g.Body?["message"] is not JsonValue message)
        {
            return Task.CompletedTask;
        }

        g.Headers["x-some-header"] = "some value";
        g.Body = new JsonObject { ["error"] = true, ["status"] = g.Status, ["message"] = $"{message}, arr!" };
        return Task.CompletedTask;
    };

    /// <summary>Transforms/problem-details.csx.</summary>
    public static readonly Func<ExitContext, Task> ProblemDetails = g =>
    {
        var detail = g.Body?["message"]?.ToString() ?? g.Text;
        var title = g.Status switch
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
            _ => g.Status < 500 ? "Client Error" : "Server Error",
        };

        g.Headers["Content-Type"] = "application/problem+json";
        g.Body = new JsonObject
        {
            ["type"] = "about:blank",
            ["title"] = title,
            ["status"] = g.Status,
            ["detail"] = detail,
            ["instance"] = g.Request.Path,
            ["traceId"] = g.Request.TraceId,
        };
        return Task.CompletedTask;
    };
}
