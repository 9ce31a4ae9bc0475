using System.Diagnostics;

namespace Gateway.Hosting;

/// <summary>
/// Makes ASP.NET Core start an <see cref="Activity"/> for every request, even with no tracing exporter
/// attached, so each request has a W3C trace id that logs, scripts (<c>Request.TraceId</c>) and error bodies
/// share. Only propagation data is requested: no tags or events are recorded.
/// </summary>
internal sealed class TraceIdActivityListener : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
