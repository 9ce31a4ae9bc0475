using Gateway.Webhooks.Delivery;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Polly.Telemetry;

namespace Gateway.Webhooks;

/// <summary>
/// One named <see cref="HttpClient"/> per destination, each with its own connections and its own Polly pipeline:
/// retry (exponential backoff with jitter, <c>Retry-After</c> honoured, transient failures only) around the destination's
/// token bucket (<see cref="WebhookPacing"/>) around a per-attempt timeout. The clients' loggers are removed: they would write the URL.
/// </summary>
internal static class WebhookHttpClients
{
    private const string Prefix = "Gateway.Webhooks.";

    public static string NameOf(string destination) => Prefix + destination;

    public static void Add(IServiceCollection services, IEnumerable<string> destinations)
    {
        // Polly logs every attempt, a retried one as a warning with its stack trace: in a Slack outage that is a
        // flood. The delivery loop logs each kind of failure once and then summarises, and the retries are counted
        // in gateway.webhooks.retried, so these pipelines' own events go to Debug. Other pipelines keep theirs.
        services.AddOptions<TelemetryOptions>().PostConfigure(telemetry =>
        {
            var previous = telemetry.SeverityProvider;
            telemetry.SeverityProvider = args =>
                args.Source.PipelineName?.StartsWith(Prefix, StringComparison.Ordinal) == true ? ResilienceEventSeverity.Debug
                : previous?.Invoke(args) ?? args.Event.Severity;
        });

        foreach (var destination in destinations)
        {
            var client = services.AddHttpClient(NameOf(destination), client =>
                {
                    // Attempts are timed by the pipeline; the drain deadline cancels the rest.
                    client.Timeout = Timeout.InfiniteTimeSpan;
                    client.MaxResponseContentBufferSize = 64 * 1024;
                })
                .RemoveAllLoggers();
            client.AddResilienceHandler("delivery", (pipeline, context) => Configure(pipeline, context, destination));

            // Inside the pipeline, so that it sees each attempt's answer: a 429 pauses the destination (for the fleet).
            client.AddHttpMessageHandler(provider => new RetryAfterHandler(
                destination, provider.GetRequiredService<WebhookPacing>(), provider.GetRequiredService<TimeProvider>()));
        }
    }

    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context, string destination)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.Destinations
            .First(d => string.Equals(d.Key, destination, StringComparison.OrdinalIgnoreCase)).Value;
        var metrics = context.ServiceProvider.GetRequiredService<WebhookMetrics>();
        var retry = options.Retry;
        if (retry.MaxRetries > 0)
        {
            // The defaults handle what is worth retrying: HttpRequestException, attempt timeouts, 408, 429 and 5xx;
            // ShouldRetryAfterHeader (on by default) makes a Retry-After header set the delay.
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = retry.Delay,
                MaxDelay = retry.MaxDelay,
                UseJitter = retry.UseJitter,
                OnRetry = args =>
                {
                    metrics.Retried(destination);
                    WebhookAttempts.CountRetry(args.Context);
                    return default;
                },
            });
        }

        // The destination's token bucket, shared with its delivery loop, which pays for each post's first attempt.
        var pacing = context.ServiceProvider.GetRequiredService<WebhookPacing>();
        pipeline.AddRateLimiter(new RateLimiterStrategyOptions { RateLimiter = args => pacing.AcquireForAttemptAsync(destination, args.Context) });
        pipeline.AddTimeout(options.Timeout);
    }
}
