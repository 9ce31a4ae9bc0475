using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Isolation;

/// <summary>
/// Ready when every serving transform host is alive and warm. A host being replaced makes the gateway briefly
/// unready only if no warm host is left to take calls.
/// </summary>
internal sealed class TransformHostsHealthCheck(TransformHostPool pool) : IHealthCheck
{
    public const string Name = "transform-hosts";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var hosts = pool.Hosts;
        var data = new Dictionary<string, object>
        {
            ["serving"] = hosts.Count(host => host.IsServing),
            ["warm"] = hosts.Count(host => host.IsServing && host.IsWarm),
            ["processIds"] = hosts.Select(host => host.ProcessId).ToArray(),
        };
        return Task.FromResult(pool.IsReady
            ? HealthCheckResult.Healthy($"{hosts.Count} transform hosts serving, all warm.", data)
            : HealthCheckResult.Unhealthy("Not every transform host is up and warm yet.", data: data));
    }
}
