namespace Gateway.Isolation;

/// <summary>
/// Holds start-up until the transform hosts have answered their warm-up calls, so that the first requests do not pay
/// for a cold host. Registered after the catalog is built: the hosts warm up while the transforms compile.
/// </summary>
internal sealed class TransformHostWarmUp(TransformHostPool pool) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => pool.WaitForWarmUpAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
