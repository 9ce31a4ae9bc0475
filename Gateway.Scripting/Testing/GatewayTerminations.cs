namespace Gateway.Scripting.Testing;

/// <summary>The status the gateway answers each of its own terminations with, and the reverse.</summary>
internal static class GatewayTerminations
{
    private static readonly Dictionary<TerminationKind, int> Statuses = new()
    {
        [TerminationKind.BadRequest] = 400,
        [TerminationKind.Unauthorized] = 401,
        [TerminationKind.Forbidden] = 403,
        [TerminationKind.NoRoute] = 404,
        [TerminationKind.PayloadTooLarge] = 413,
        [TerminationKind.RateLimited] = 429,
        [TerminationKind.GatewayError] = 500,
        [TerminationKind.UpstreamUnreachable] = 502,
        [TerminationKind.NoHealthyDestination] = 503,
        [TerminationKind.UpstreamTimeout] = 504,
    };

    public static int StatusOf(TerminationKind kind) =>
        Statuses.TryGetValue(kind, out var status)
            ? status
            : throw new ArgumentException($"{kind} is not a termination the gateway produces; use Termination.Upstream for an upstream's response.", nameof(kind));

    public static TerminationKind KindOf(int status)
    {
        foreach (var (kind, known) in Statuses)
        {
            if (known == status)
            {
                return kind;
            }
        }

        throw new ArgumentException(
            $"The gateway never ends a request with {status} itself; use Termination.Gateway(TerminationKind, message) or Termination.Upstream({status}).",
            nameof(status));
    }

    /// <summary>Whether the gateway had forwarded the request before it ended it (so the upstream's address is known).</summary>
    public static bool WasForwarded(TerminationKind kind) =>
        kind is TerminationKind.UpstreamUnreachable or TerminationKind.UpstreamTimeout or TerminationKind.UpstreamResponse;
}
