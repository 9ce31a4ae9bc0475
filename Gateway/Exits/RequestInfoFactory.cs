using System.Diagnostics;
using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Exits;

/// <summary>
/// Builds the read-only <see cref="RequestInfo"/> a script sees, with credentials redacted, and what is known of
/// the upstream: its destination, its status and its latency.
/// </summary>
internal static class RequestInfoFactory
{
    /// <param name="context">The request.</param>
    /// <param name="routeId">The route that matched, or <see langword="null"/>.</param>
    /// <param name="termination">What ended the request.</param>
    /// <param name="upstreamStatus">The upstream's own status, when the upstream answered.</param>
    public static RequestInfo Create(HttpContext context, string? routeId, TerminationKind termination, int? upstreamStatus = null)
    {
        var request = context.Request;

        // A read-only copy: the transforms of a chain share this view, so none may change it for the next. Counted
        // first, so that the view's dictionary is sized once.
        var pairs = new KeyValuePair<string, string>[request.Headers.Count];
        var count = 0;
        foreach (var (name, values) in request.Headers)
        {
            if (count == pairs.Length)
            {
                break;
            }

            pairs[count++] = new KeyValuePair<string, string>(
                name,
                RequestRedaction.Header(name, values.Count == 1 ? values[0] ?? string.Empty : string.Join(", ", values.ToArray())));
        }

        var headers = new RequestHeaders(count == pairs.Length ? pairs : pairs[..count]);

        return new RequestInfo(
            request.Method,
            request.Host.Value ?? string.Empty,
            request.PathBase.Add(request.Path).Value is { Length: > 0 } path ? path : "/",
            RequestRedaction.Query(request.QueryString.Value ?? string.Empty),
            headers,
            context.Connection.RemoteIpAddress?.ToString(),
            routeId,
            Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier,
            termination)
        {
            Destination = DestinationOf(context),
            UpstreamStatus = upstreamStatus,
            UpstreamLatency = context.Features.Get<UpstreamTimingFeature>()?.Latency,
        };
    }

    // The address YARP forwarded to, without any user name and password it may carry.
    private static string? DestinationOf(HttpContext context)
    {
        var address = context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.Model.Config.Address;
        if (address is null || !address.Contains('@', StringComparison.Ordinal) || !Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0)
        {
            return address;
        }

        return new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();
    }
}
