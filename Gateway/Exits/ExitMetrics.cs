using System.Diagnostics.Metrics;

namespace Gateway.Exits;

/// <summary>The exit path's instruments, on the <c>Gateway</c> meter.</summary>
internal sealed class ExitMetrics
{
    public const string MeterName = "Gateway";
    public const string UpstreamResponses = "gateway.transforms.upstream_responses";
    public const string StatusTag = "http.response.status_code";
    public const string BodyTag = "gateway.upstream.body";
    public const string RewrittenTag = "gateway.body_rewritten";

    private readonly Counter<long> _upstreamResponses;

    public ExitMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _upstreamResponses = meter.CreateCounter<long>(
            UpstreamResponses,
            unit: "{response}",
            description: "Upstream non-2xx responses that went through the transforms, by status, by what became of the body (json, text, empty, binary, too_large, streaming, undecodable) and by whether a transform replaced it.");
    }

    public void UpstreamResponse(int status, UpstreamBodyOutcome body, bool rewritten) =>
        _upstreamResponses.Add(
            1,
            new KeyValuePair<string, object?>(StatusTag, status),
            new KeyValuePair<string, object?>(BodyTag, TagValue(body)),
            new KeyValuePair<string, object?>(RewrittenTag, rewritten));

    public static string TagValue(UpstreamBodyOutcome body) => body switch
    {
        UpstreamBodyOutcome.Json => "json",
        UpstreamBodyOutcome.Text => "text",
        UpstreamBodyOutcome.Empty => "empty",
        UpstreamBodyOutcome.Binary => "binary",
        UpstreamBodyOutcome.TooLarge => "too_large",
        UpstreamBodyOutcome.Streaming => "streaming",
        _ => "undecodable",
    };
}
