using System.Diagnostics;
using Gateway.Authentication;
using Gateway.Scripting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Exits;

/// <summary>Builds the read-only <see cref="RequestInfo"/> a script sees, with credentials redacted.</summary>
internal static class RequestInfoFactory
{
    public const string Redacted = "[redacted]";

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ApiKeyDefaults.KeyName, HeaderNames.Authorization, HeaderNames.ProxyAuthorization, HeaderNames.Cookie,
    };

    public static RequestInfo Create(HttpContext context, string? routeId, TerminationKind termination)
    {
        var request = context.Request;
        var headers = new Dictionary<string, string>(request.Headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = SecretHeaders.Contains(name) ? Redacted : string.Join(", ", values.ToArray());
        }

        return new RequestInfo(
            request.Method,
            request.Host.Value ?? string.Empty,
            request.PathBase.Add(request.Path).Value is { Length: > 0 } path ? path : "/",
            RedactQuery(request.QueryString),
            headers,
            context.Connection.RemoteIpAddress?.ToString(),
            routeId,
            Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier,
            termination);
    }

    private static string RedactQuery(QueryString query)
    {
        // Names are compared decoded, as the authentication handler reads them: "?api%6Bey=" is "apikey" too.
        if (!query.HasValue || query.Value!.Length < 2)
        {
            return query.Value ?? string.Empty;
        }

        var parts = query.Value[1..].Split('&');
        var redacted = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var name = parts[i].Split('=', 2)[0];
            if (string.Equals(Uri.UnescapeDataString(name.Replace('+', ' ')), ApiKeyDefaults.KeyName, StringComparison.OrdinalIgnoreCase))
            {
                parts[i] = name + "=" + Redacted;
                redacted = true;
            }
        }

        return redacted ? "?" + string.Join('&', parts) : query.Value;
    }
}
