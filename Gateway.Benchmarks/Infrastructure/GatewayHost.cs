using Gateway.Exits;
using Gateway.Scripting;
using Gateway.Transforms;
using Gateway.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serilog.Extensions.Hosting;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// The gateway's own services, registered by <c>AddGateway</c> from configuration and never started (no server,
/// no background delivery): the termination responder, the real webhook queue, the transforms compiled by the
/// catalog builder as at start-up.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app)
    {
        _app = app;
        Responder = app.Services.GetRequiredService<TerminationResponder>();
        Webhooks = app.Services.GetRequiredService<WebhookQueue>();
        Sender = app.Services.GetRequiredService<IWebhookSender>();
        Diagnostics = app.Services.GetRequiredService<DiagnosticContext>();
        RequestLog = app.Services.GetRequiredService<Gateway.Hosting.RequestLogSwitch>();
    }

    /// <summary>The gateway's services.</summary>
    public IServiceProvider Services => _app.Services;

    public TerminationResponder Responder { get; }

    /// <summary>The gateway's webhook queue, with what the delivery service reads.</summary>
    public WebhookQueue Webhooks { get; }

    /// <summary>The same queue as scripts get it: the <c>Webhooks</c> global.</summary>
    public IWebhookSender Sender { get; }

    /// <summary>Serilog's request-log collector, which the exit path adds its properties to.</summary>
    public DiagnosticContext Diagnostics { get; }

    /// <summary>Whether the gateway would run Serilog's request logging (its collector) for a request now.</summary>
    public Gateway.Hosting.RequestLogSwitch RequestLog { get; }

    /// <summary>Builds the gateway with <paramref name="settings"/> over its defaults and compiles the transforms it binds.</summary>
    public static GatewayHost Create(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = RepositoryPaths.Root,
            EnvironmentName = "Benchmark",
            ApplicationName = "Gateway",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Gateway:Transforms:Path"] = RepositoryPaths.Transforms,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddGateway();
        var app = builder.Build();

        // What TransformStartupService does at start-up.
        var options = app.Services.GetRequiredService<IOptions<TransformOptions>>().Value;
        var catalog = app.Services.GetRequiredService<TransformCatalogBuilder>().Build(options, CancellationToken.None);
        app.Services.GetRequiredService<TransformCatalogProvider>().Swap(catalog);

        // With transform hosts (Isolation: Process), what the pool's hosted service does at start-up.
        if (app.Services.GetService<Gateway.Isolation.TransformHostPool>() is { } pool)
        {
            pool.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            pool.WaitForWarmUpAsync().GetAwaiter().GetResult();
        }

        return new GatewayHost(app);
    }

    /// <summary>Takes every queued webhook message off, as the delivery service would, so that queues never fill.</summary>
    public void DrainWebhooks()
    {
        foreach (var destination in Webhooks.Destinations)
        {
            while (destination.Backlog.TryRead(out _))
            {
            }
        }
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
