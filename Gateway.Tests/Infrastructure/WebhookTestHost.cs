using System.Diagnostics.Metrics;
using Gateway.Scripting;
using Gateway.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway's webhook services alone, registered by the gateway's own <c>AddWebhooks</c> in a plain host: the
/// queue scripts send to, and real delivery over HTTP. Every log event (all levels) and every webhook measurement is
/// collected; a test may bring its own clock.
/// </summary>
internal sealed class WebhookTestHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private WebhookTestHost(IHost host, CollectingSink logs, WebhookMetricsRecorder metrics)
    {
        _host = host;
        Logs = logs;
        Metrics = metrics;
    }

    public CollectingSink Logs { get; }

    public WebhookMetricsRecorder Metrics { get; }

    /// <summary>What scripts get as <c>Webhooks</c>.</summary>
    public IWebhookSender Sender => _host.Services.GetRequiredService<IWebhookSender>();

    public WebhookQueue Queue => _host.Services.GetRequiredService<WebhookQueue>();

    public IServiceProvider Services => _host.Services;

    /// <summary>Builds the host; starts it (and so delivery) unless <paramref name="start"/> is false.</summary>
    public static async Task<WebhookTestHost> StartAsync(
        IReadOnlyDictionary<string, string?> settings, TimeProvider? clock = null, bool start = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CollectingSink();
        builder.Services.AddSerilog(new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(logs).CreateLogger(), dispose: true);
        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.Services.AddWebhooks(builder.Configuration);
        var host = builder.Build();
        var metrics = new WebhookMetricsRecorder(host.Services.GetRequiredService<IMeterFactory>());
        if (start)
        {
            await host.StartAsync();
        }

        return new WebhookTestHost(host, logs, metrics);
    }

    /// <summary>Starts a host built with <c>start: false</c>: delivery begins, with whatever was queued meanwhile.</summary>
    public Task StartDeliveryAsync() => _host.StartAsync();

    /// <summary>Stops the host: the queues drain until the drain deadline.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        Metrics.Dispose();
    }
}
