using Gateway.Transforms;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Gateway.Management.Health;

/// <summary>
/// Ready when a transform catalog is loaded and every transform a binding names has a compiled version in it.
/// A reload that was refused leaves the last good version serving, which is still ready.
/// </summary>
internal sealed class TransformCatalogHealthCheck(TransformCatalogProvider catalogs, IOptionsMonitor<TransformOptions> options) : IHealthCheck
{
    public const string Name = "transforms";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var catalog = catalogs.Current;
        if (ReferenceEquals(catalog, TransformCatalog.Empty))
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("No transform catalog is loaded yet."));
        }

        var bindings = options.CurrentValue;
        var missing = bindings.Global.Transforms
            .Concat(bindings.Routes.Values.SelectMany(r => r.Transforms))
            .Distinct(StringComparer.Ordinal)
            .Where(name => !catalog.Transforms.ContainsKey(name))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var data = new Dictionary<string, object> { ["compiled"] = catalog.Transforms.Count };
        if (missing.Length > 0)
        {
            data["notCompiled"] = missing;
            return Task.FromResult(HealthCheckResult.Unhealthy($"Bound transforms with no compiled version: {string.Join(", ", missing)}.", data: data));
        }

        return Task.FromResult(HealthCheckResult.Healthy($"{catalog.Transforms.Count} transforms compiled, every bound one among them.", data));
    }
}
