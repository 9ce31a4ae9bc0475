using Microsoft.Extensions.Options;

namespace Gateway.Transforms;

/// <summary>
/// Compiles the transforms once, before the server accepts its first request. Hosted services start before
/// the server, so a bound transform that does not compile stops the gateway before it listens.
/// </summary>
internal sealed class TransformStartupService(
    TransformCatalogBuilder builder,
    TransformCatalogProvider provider,
    IOptions<TransformOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        provider.Swap(builder.Build(options.Value, cancellationToken));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
