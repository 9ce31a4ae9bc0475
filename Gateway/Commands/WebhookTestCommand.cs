using Gateway.Scripting;
using Gateway.Webhooks;
using Gateway.Webhooks.Delivery;
using Gateway.Webhooks.Formatting;
using Microsoft.Extensions.Options;

namespace Gateway.Commands;

/// <summary>
/// <c>dotnet run --project Gateway -- webhook-test [destination]</c>: sends one test message to a destination (the
/// default one unless named) through the real pipeline (its formatter, HTTP client, retries and rate limit) and prints
/// the destination's answer. Exits 0 when the destination accepted it, 1 otherwise. The URL is never printed.
/// </summary>
internal static class WebhookTestCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, string contentRoot, TextWriter output)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddWebhooks(builder.Configuration);
        await using var app = builder.Build();

        WebhookOptions options;
        try
        {
            options = app.Services.GetRequiredService<IOptions<WebhookOptions>>().Value;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures)
            {
                output.WriteLine($"webhook-test: {failure}");
            }

            return 1;
        }

        var name = args.Count > 0 ? args[0] : options.Default;
        var (configured, destination) = options.Destinations.FirstOrDefault(d => string.Equals(d.Key, name, StringComparison.OrdinalIgnoreCase));
        if (destination is null)
        {
            output.WriteLine($"webhook-test: no destination '{name}' under {WebhookOptions.Section}:Destinations (configured: {string.Join(", ", options.Destinations.Keys.Order(StringComparer.Ordinal))}).");
            return 1;
        }

        var message = new WebhookMessage(configured, null, TestAlert(configured), DateTimeOffset.UtcNow);
        if (string.IsNullOrWhiteSpace(destination.Url))
        {
            output.WriteLine($"webhook-test: {configured} has no URL configured (set {WebhookOptions.Section}:Destinations:{configured}:Url, e.g. Gateway__Webhooks__Destinations__{configured}__Url); the message would have been: {message.PlainText}");
            return 1;
        }

        var body = app.Services.GetRequiredService<WebhookFormatters>().For(destination.Kind).Format([message], 0, destination);
        var poster = new WebhookPoster(configured, new Uri(destination.Url, UriKind.Absolute), destination.Timeout, app.Services.GetRequiredService<IHttpClientFactory>());
        using var abort = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var turn = await app.Services.GetRequiredService<WebhookPacing>().WaitForTurnAsync(configured, abort.Token);
        var outcome = await poster.PostAsync(body, turn, abort.Token);
        var attempts = outcome.Attempts == 1 ? "1 attempt" : $"{outcome.Attempts} attempts";
        switch (outcome.Result)
        {
            case DeliveryResult.Delivered:
                output.WriteLine($"webhook-test: {configured} ({destination.Kind}) accepted the test message: HTTP {outcome.StatusCode} {outcome.ResponseBody} ({attempts}).".Replace("  ", " ", StringComparison.Ordinal));
                return 0;
            case DeliveryResult.Rejected:
                output.WriteLine($"webhook-test: {configured} ({destination.Kind}) refused the test message: {outcome.Reason} ({attempts}). Retrying would not help: check the URL and the destination's settings.");
                return 1;
            default:
                output.WriteLine($"webhook-test: {configured} ({destination.Kind}) did not take the test message: {outcome.Reason} ({attempts}, retries included).");
                return 1;
        }
    }

    private static WebhookAlert TestAlert(string destination) => new("Gateway webhook test")
    {
        Text = "A test message from the gateway's webhook-test command. If you can read this, alerts will reach you here.",
        Severity = AlertSeverity.Info,
        Fields = new Dictionary<string, string>
        {
            ["Destination"] = destination,
            ["Sent"] = DateTimeOffset.UtcNow.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
        },
    };
}
