using System.Diagnostics;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace Gateway.Exits;

/// <summary>
/// Records what the exit path did, from what it already has in hand (the chain and its <see cref="TransformChainResult"/>,
/// the final response), never from inside the runner, so that any runner, in-process or isolated, is measured the same:
/// one span per chain, the exit metrics, each transform's stats and the recent terminations.
/// </summary>
internal sealed class ExitObserver
{
    private readonly ExitMetrics _metrics;
    private readonly TimeProvider _time;

    public ExitObserver(ExitMetrics metrics, TransformRunStats stats, RecentTerminations recent, Transforms.TransformCatalogProvider catalogs, TimeProvider time)
    {
        _metrics = metrics;
        Stats = stats;
        Recent = recent;
        _time = time;
        metrics.ObserveQuarantined(() =>
        {
            var current = catalogs.Current.Transforms;
            return stats.ByName
                .Where(s => s.Value.QuarantinedHash is { } hash && current.TryGetValue(s.Key, out var t) && t.SourceHash == hash)
                .Select(s => new System.Diagnostics.Metrics.Measurement<int>(1, new KeyValuePair<string, object?>(ExitMetrics.TransformTag, s.Key)));
        });
    }

    public TransformRunStats Stats { get; }

    public RecentTerminations Recent { get; }

    public static string RouteOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId ?? ExitMetrics.NoRoute;

    /// <summary>Starts the span of one chain (null when no one listens to <see cref="ExitTelemetry.Source"/>).</summary>
    public static Activity? StartChain(string? routeId, TerminationKind kind, int status, IReadOnlyList<CompiledTransform> chain)
    {
        var activity = ExitTelemetry.Source.StartActivity("transform chain");
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(ExitMetrics.RouteTag, routeId ?? ExitMetrics.NoRoute);
            activity.SetTag(ExitMetrics.KindTag, kind.ToString());
            activity.SetTag(ExitMetrics.StatusTag, status);
            activity.SetTag("gateway.transforms", string.Join(",", chain.Select(t => t.Name)));
        }

        return activity;
    }

    public void ChainCompleted(Activity? activity, string? routeId, IReadOnlyList<CompiledTransform> chain, TransformChainResult result, long startedTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedTimestamp);
        var route = routeId ?? ExitMetrics.NoRoute;
        _metrics.Chain(route, chain, result, elapsed);
        Stats.Record(chain, result, elapsed.TotalMilliseconds, _time.GetUtcNow());
        if (activity is null)
        {
            return;
        }

        foreach (var failure in result.Failures)
        {
            activity.AddEvent(new ActivityEvent("transform failed", tags: new ActivityTagsCollection
            {
                [ExitMetrics.TransformTag] = failure.Transform,
                [ExitMetrics.FailureKindTag] = ExitMetrics.TagValue(failure.Kind),
                ["code.filepath"] = failure.File,
                ["code.lineno"] = failure.Line,
                ["exception.type"] = failure.ErrorType,
                ["exception.message"] = failure.Exception.Message,
            }));
        }

        activity.SetTag(ExitMetrics.StatusTag + ".after", result.Response.Status);
        activity.SetStatus(result.Failures.Count == 0 ? ActivityStatusCode.Ok : ActivityStatusCode.Error, result.Failures.Count == 0 ? null : $"{result.Failures.Count} transforms failed");
        activity.Dispose();
    }

    /// <summary>Counts a finished request by who made its response, and a termination by kind, route and final status.</summary>
    public void RequestCompleted(HttpContext context)
    {
        var route = RouteOf(context);
        var status = context.Response.StatusCode;
        var outcome = context.Features.Get<ExitOutcomeFeature>();
        _metrics.Request(route, status, outcome?.Source ?? ExitSource.Upstream);
        if (outcome is not null)
        {
            _metrics.Termination(outcome.Kind, route, status);
            Recent.Record(route, outcome.Kind, status);
        }
    }
}
