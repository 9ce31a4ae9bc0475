using Gateway.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.DemoUpstream;

/// <summary>
/// Runs the demo upstream on loopback beside the gateway, so the bundled configuration works with no outside
/// service: <c>/</c> answers 200 with JSON, <c>/slow?ms=N</c> answers after a delay, <c>/status/N</c> answers N.
/// </summary>
internal sealed partial class DemoUpstreamService(IOptions<DemoUpstreamOptions> options, ILogger<DemoUpstreamService> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Gateway.DemoUpstream" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Value.Url);
        var app = builder.Build();
        app.MapGet("/slow", async (int? ms, CancellationToken aborted) =>
        {
            await Task.Delay(Math.Clamp(ms ?? 5000, 0, 60_000), aborted);
            return Results.Json(new { message = "Sorry for the wait" });
        });
        app.Map("/status/{code:int}", (int code) => code is < 200 or 204 or 304
            ? Results.StatusCode(code)
            : Results.Json(new { message = $"The demo upstream answered {code}" }, statusCode: code));
        app.Map("/{**path}", (HttpRequest request) => Results.Json(new
        {
            message = "Hello from the demo upstream",
            method = request.Method,
            path = request.Path.Value,
        }));

        await app.StartAsync(cancellationToken);
        _app = app;
        LogStarted(logger, options.Value.Url);
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

    [LoggerMessage(EventId = EventIds.DemoUpstreamListening, Level = LogLevel.Information, Message = "Demo upstream listening on {DemoUpstreamUrl}")]
    private static partial void LogStarted(ILogger logger, string demoUpstreamUrl);
}
