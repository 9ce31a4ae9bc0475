using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Scripting;
using Gateway.Scripting.Execution;

namespace Gateway.Exits;

/// <summary>The exit path's instruments, on the <c>Gateway</c> meter.</summary>
internal sealed class ExitMetrics
{
    public const string MeterName = "Gateway";
    public const string UpstreamResponses = "gateway.transforms.upstream_responses";
    public const string StatusTag = "http.response.status_code";
    public const string BodyTag = "gateway.upstream.body";
    public const string RewrittenTag = "gateway.body_rewritten";

    public const string Requests = "gateway.requests";
    public const string Terminations = "gateway.terminations";
    public const string TransformRuns = "gateway.transforms.runs";
    public const string TransformFailures = "gateway.transforms.failures";
    public const string TerminationsUnalerted = "gateway.terminations.unalerted";
    public const string TransformBreaches = "gateway.transforms.budget_breaches";
    public const string TransformsQuarantined = "gateway.transforms.quarantined";
    public const string ChainDuration = "gateway.transforms.chain.duration";
    public const string RouteTag = "gateway.route";
    public const string SourceTag = "gateway.source";
    public const string StatusClassTag = "http.response.status_class";
    public const string KindTag = "gateway.termination.kind";
    public const string TransformTag = "gateway.transform";
    public const string FailureKindTag = "gateway.failure.kind";

    /// <summary>The <see cref="RouteTag"/> of a request that matched no route.</summary>
    public const string NoRoute = "(none)";

    private readonly Counter<long> _upstreamResponses;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _terminations;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _breaches;
    private readonly Counter<long> _unalerted;
    private readonly Histogram<double> _chainDuration;

    public ExitMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        Meter = meter;
        _requests = meter.CreateCounter<long>(
            Requests, "{request}",
            "Requests answered, by route, status class and source: upstream (passed through), gateway (a termination the gateway made), transform (an upstream response a transform changed).");
        _terminations = meter.CreateCounter<long>(
            Terminations, "{termination}", "Terminations answered, by kind, route and final status (after the transforms).");
        _runs = meter.CreateCounter<long>(TransformRuns, "{run}", "Runs of a transform (quarantined skips and runs that never started are not runs).");
        _failures = meter.CreateCounter<long>(
            TransformFailures, "{failure}", "Runs of a transform that failed, by kind: exception, budget, runaway, crashed (its transform host died), quarantined (skipped), not_run (no capacity).");
        _breaches = meter.CreateCounter<long>(TransformBreaches, "{breach}", "Runs of a transform stopped by its budget (kind budget), answered without (kind runaway) or that crashed its transform host (kind crashed).");
        _unalerted = meter.CreateCounter<long>(
            TerminationsUnalerted, "{termination}",
            "Terminations whose chain, or part of it, could not run for lack of capacity (no thread or transform host free in time): an alert it would have sent was not.");
        _chainDuration = meter.CreateHistogram<double>(
            ChainDuration, "s", "Time to run a termination's chain of transforms.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] });
        _upstreamResponses = meter.CreateCounter<long>(
            UpstreamResponses,
            unit: "{response}",
            description: "Upstream non-2xx responses that went through the transforms, by status, by what became of the body (json, text, empty, binary, too_large, streaming, undecodable) and by whether a transform replaced it.");
    }

    public Meter Meter { get; }

    public void Request(string route, int status, ExitSource source) =>
        _requests.Add(1, new TagList { { RouteTag, route }, { StatusClassTag, StatusClass(status) }, { SourceTag, TagValue(source) } });

    public void Termination(TerminationKind kind, string route, int status) =>
        _terminations.Add(1, new TagList { { KindTag, kind.ToString() }, { RouteTag, route }, { StatusTag, status } });

    public void Chain(string route, IReadOnlyList<CompiledTransform> chain, TransformChainResult result, TimeSpan elapsed)
    {
        _chainDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(RouteTag, route));
        if (result.Failures.Any(failure => failure.Kind == TransformFailureKind.NotRun))
        {
            _unalerted.Add(1, new KeyValuePair<string, object?>(RouteTag, route));
        }

        // Indexed loops: a foreach over the interfaces would allocate an enumerator per chain.
        var failures = result.Failures;
        for (var t = 0; t < chain.Count; t++)
        {
            var transform = chain[t];
            var skipped = false;
            for (var f = 0; f < failures.Count; f++)
            {
                var failure = failures[f];
                if (!string.Equals(failure.Transform, transform.Name, StringComparison.Ordinal))
                {
                    continue;
                }

                var kind = TagValue(failure.Kind);
                _failures.Add(1, new TagList { { TransformTag, transform.Name }, { FailureKindTag, kind } });
                if (failure.Kind is TransformFailureKind.Budget or TransformFailureKind.Runaway or TransformFailureKind.Crashed)
                {
                    _breaches.Add(1, new TagList { { TransformTag, transform.Name }, { FailureKindTag, kind } });
                }

                skipped |= failure.Kind is TransformFailureKind.Quarantined or TransformFailureKind.NotRun;
            }

            if (!skipped)
            {
                _runs.Add(1, new KeyValuePair<string, object?>(TransformTag, transform.Name));
            }
        }
    }

    /// <summary>Publishes <c>gateway.transforms.quarantined</c>: 1 for each transform whose current version is quarantined.</summary>
    public void ObserveQuarantined(Func<IEnumerable<Measurement<int>>> quarantined) =>
        Meter.CreateObservableGauge(TransformsQuarantined, quarantined, "{transform}", "Transforms whose current version is quarantined (skipped until the file changes).");

    public static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };

    public static string TagValue(ExitSource source) => source switch
    {
        ExitSource.Gateway => "gateway",
        ExitSource.Transform => "transform",
        _ => "upstream",
    };

    public static string TagValue(TransformFailureKind kind) => kind switch
    {
        TransformFailureKind.Budget => "budget",
        TransformFailureKind.Runaway => "runaway",
        TransformFailureKind.Quarantined => "quarantined",
        TransformFailureKind.Crashed => "crashed",
        TransformFailureKind.NotRun => "not_run",
        _ => "exception",
    };

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
