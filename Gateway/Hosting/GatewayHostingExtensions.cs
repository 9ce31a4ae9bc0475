using Gateway.Exits;
using Gateway.Hosting;
using Gateway.Terminations;
using Serilog;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Builds the gateway into a <see cref="WebApplicationBuilder"/> and its request pipeline.</summary>
public static class GatewayHostingExtensions
{
    /// <summary>
    /// Registers the gateway: Serilog from configuration, YARP routes and clusters from <c>ReverseProxy</c>,
    /// API-key authentication, rate limiting, exit transforms (on the gateway's terminations and, through a
    /// response transform on every route, on the upstream's non-2xx responses), webhooks and the demo upstream.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;

        // Each app gets its own logger (the static Log.Logger stays the bootstrap one), so that several gateways
        // in one process, as in the tests, never write into each other's sinks.
        services.AddSerilog(
            (provider, logger) => logger
                // YARP's own forwarding warning carries a stack trace; the exit middleware logs one line instead. A
                // setting under Serilog:MinimumLevel:Override can bring it back.
                .MinimumLevel.Override("Yarp.ReverseProxy.Forwarder.HttpForwarder", Serilog.Events.LogEventLevel.Error)
                .ReadFrom.Configuration(configuration)
                .ReadFrom.Services(provider)
                .Enrich.FromLogContext(),
            preserveStaticLogger: true);

        services.AddSingleton<RequestLogSwitch>();
        services.AddHostedService<TraceIdActivityListener>();
        services.AddDemoUpstream(configuration);
        services.AddApiKeyAuthentication(configuration);
        services.AddCoordination(configuration);
        services.AddGatewayRateLimiting(configuration);
        services.AddWebhooks(configuration);
        services.AddExitTransforms(configuration);
        services.AddSingleton<TerminationResponder>();
        services.AddReverseProxy()
            .LoadFromConfig(configuration.GetSection("ReverseProxy"))
            .AddApiKeyStripping()
            .AddUpstreamExits();

        // Registered last: its hosted service starts the management listener once the transforms are compiled.
        services.AddManagement(configuration);
        return builder;
    }

    /// <summary>
    /// Builds the request pipeline: request logging (while its level is on), then the exit middleware around routing, rate limiting,
    /// authentication, authorization and the proxy, so that every termination passes through the transforms.
    /// </summary>
    /// <remarks>
    /// Rate limiting comes before authentication: a flood of missing or wrong keys is throttled like any other
    /// traffic, by client IP, instead of running the key check and the transforms for each request. It comes after
    /// routing, because the route's <c>RateLimiterPolicy</c> is endpoint metadata. A request with no key at all on a
    /// route that requires one is answered next, before the authentication and authorization stack it would only
    /// be challenged by.
    /// </remarks>
    /// <param name="app">The application.</param>
    /// <returns>The same application, for chaining.</returns>
    public static WebApplication UseGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The status API's webhook totals are read off the meter by a listener: it listens from here on, before the
        // first request, rather than from the first status request (which missed what was queued before it).
        _ = app.Services.GetService<Gateway.Management.Status.WebhookCounts>();

        // Serilog's request log only while its level is on: off, a request pays nothing for it (RequestLogSwitch).
        var requestLog = app.Services.GetRequiredService<RequestLogSwitch>();
        app.UseWhen(
            _ => requestLog.IsOn,
            logged => logged.UseSerilogRequestLogging(options => options.Logger = app.Services.GetRequiredService<Serilog.ILogger>()));
        app.UseMiddleware<ExitMiddleware>();
        app.UseRouting();
        app.UseMiddleware<NoRouteMiddleware>();
        app.UseRateLimiter();
        app.UseMiddleware<Gateway.Authentication.MissingApiKeyMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<RequestBodyLimitMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
