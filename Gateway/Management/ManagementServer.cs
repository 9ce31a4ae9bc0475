using Gateway.Hosting;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Gateway.Management;

/// <summary>
/// The management listener: a second Kestrel server in the gateway's process, with a pipeline of its own that has
/// nothing of the proxy's (no routes, no authentication, no exit middleware, no transforms). Proxy traffic cannot
/// reach it, since it is another server on other sockets; and its requests are never counted as the gateway's, since
/// they never pass the gateway's pipeline. It reads the gateway's state through the singletons it is handed.
/// </summary>
internal sealed partial class ManagementServer(
    IServiceProvider gateway,
    IOptions<ManagementOptions> options,
    ILoggerFactory loggers,
    ILogger<ManagementServer> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The addresses it listens on, ports resolved (port 0 in tests): empty until started, or when turned off.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        // An empty builder: no configuration sources, so nothing meant for the proxy (Urls, Kestrel:Endpoints,
        // ASPNETCORE_URLS) can bind this server to the proxy's sockets, or the other way round.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Gateway.Management" });
        builder.WebHost.UseKestrelCore();
        builder.WebHost.UseUrls([.. options.Value.UrlList]);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<ILoggerFactory>(new ManagementLoggerFactory(loggers));
        builder.Services.AddSingleton<IHostLifetime, ManagementHostLifetime>();

        // Its own diagnostic sources, under names no tracer listens to: management requests start no trace.
        builder.Services.AddSingleton(new DiagnosticListener("Gateway.Management"));
        builder.Services.AddSingleton<DiagnosticSource>(provider => provider.GetRequiredService<DiagnosticListener>());
        builder.Services.AddSingleton(new ActivitySource("Gateway.Management"));

        // What the endpoints read, handed over from the gateway's container.
        builder.Services.AddSingleton(gateway.GetRequiredService<HealthCheckService>());
        builder.Services.AddSingleton(gateway.GetRequiredService<MeterProvider>());

        var app = builder.Build();
        app.Use((context, next) =>
        {
            // Not one of the gateway's requests: keep it out of http.server.request.duration.
            if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
            {
                metrics.MetricsDisabled = true;
            }

            return next(context);
        });
        app.UseRouting();
        app.MapManagementEndpoints(gateway);
        await app.StartAsync(cancellationToken);
        _app = app;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Select(a => new Uri(a))];
        var listening = string.Join(", ", Addresses);
        LogListening(logger, listening);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = EventIds.ManagementListening, Level = LogLevel.Information, Message = "Management listener (health, metrics, status, dashboard) on {ManagementAddresses}")]
    private static partial void LogListening(ILogger logger, string managementAddresses);

    [LoggerMessage(EventId = EventIds.ManagementDisabled, Level = LogLevel.Information, Message = "Management listener off: Gateway:Management:Urls is empty")]
    private static partial void LogDisabled(ILogger logger);
}
