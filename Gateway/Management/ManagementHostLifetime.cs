namespace Gateway.Management;

/// <summary>
/// The management server's host lifetime: none of its own. The gateway's host owns the process, its signals and its
/// start-up messages; the management server is started and stopped by <see cref="ManagementServer"/>.
/// </summary>
internal sealed class ManagementHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
