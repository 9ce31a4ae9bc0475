using Gateway.Exits;
using Gateway.Transforms;

namespace Gateway.Management.Status;

/// <summary>One transform as <c>/status/transforms</c> shows it.</summary>
internal sealed record TransformStatus(
    string Name,
    string State,
    string? ContentHash,
    DateTimeOffset? CompiledAt,
    IReadOnlyList<string> BoundTo,
    IReadOnlyList<string>? RefusedDiagnostics,
    long Runs,
    long Failures,
    long Breaches,
    long QuarantineSkips,
    DateTimeOffset? QuarantinedAt,
    TransformFailureSummary? LastFailure,
    double? P50Milliseconds,
    double? P99Milliseconds)
{
    /// <summary>Serving its compiled version.</summary>
    public const string Active = "active";

    /// <summary>Its current version breached its budget too often: skipped until the file changes.</summary>
    public const string Quarantined = "quarantined";

    /// <summary>Its last change did not compile (or its file is gone): the last good version keeps serving.</summary>
    public const string ReloadRefused = "reload-refused";

    /// <summary>Bound, but with no compiled version at all.</summary>
    public const string Missing = "missing";

    public static IReadOnlyList<TransformStatus> Read(TransformCatalog catalog, TransformRunStats stats, TransformOptions bindings)
    {
        var boundTo = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Bind(string name, string where)
        {
            if (!boundTo.TryGetValue(name, out var list))
            {
                boundTo[name] = list = [];
            }

            list.Add(where);
        }

        foreach (var name in bindings.Global.Transforms)
        {
            Bind(name, "(global)");
        }

        foreach (var (route, binding) in bindings.Routes)
        {
            foreach (var name in binding.Transforms)
            {
                Bind(name, route);
            }
        }

        var names = catalog.Transforms.Keys.Concat(boundTo.Keys).Concat(catalog.Refused.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return [.. names.Select(name =>
        {
            catalog.Transforms.TryGetValue(name, out var transform);
            var stat = stats.ByName.GetValueOrDefault(name);
            catalog.Refused.TryGetValue(name, out var refused);
            var quarantined = transform is not null && stat?.QuarantinedHash == transform.SourceHash;
            var state = transform is null ? Missing : quarantined ? Quarantined : refused is not null ? ReloadRefused : Active;
            return new TransformStatus(
                name,
                state,
                transform?.SourceHash,
                catalog.CompiledAt.TryGetValue(name, out var at) ? at : null,
                boundTo.GetValueOrDefault(name) ?? [],
                refused,
                stat?.Runs ?? 0,
                stat?.Failures ?? 0,
                stat?.Breaches ?? 0,
                stat?.Skipped ?? 0,
                quarantined ? stat!.QuarantinedAt : null,
                stat?.LastFailure,
                stat?.Percentile(0.5),
                stat?.Percentile(0.99));
        })];
    }
}
