using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// Delivers queued messages in the background, one at a time, so requests never wait on the network.
/// A destination with no URL gets its messages written to the log instead. URLs are never logged.
/// </summary>
internal sealed partial class WebhookDeliveryService(
    WebhookQueue queue,
    IHttpClientFactory httpClients,
    IOptionsMonitor<WebhookOptions> options,
    ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";

    private long _sent;
    private long _failed;

    /// <summary>Messages delivered (or logged, for a destination without URL) since start-up.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Messages whose delivery failed since start-up.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var message in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(message, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (queue.Count > 0)
            {
                LogUndelivered(logger, queue.Count);
            }
        }
    }

    private async Task DeliverAsync(WebhookMessage message, CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.Destinations.TryGetValue(message.Destination, out var destination))
        {
            Interlocked.Increment(ref _failed);
            LogUnknownDestination(logger, message.Destination);
            return;
        }

        if (string.IsNullOrWhiteSpace(destination.Url))
        {
            Interlocked.Increment(ref _sent);
            LogNoUrl(logger, message.Destination, message.Text);
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(destination.Timeout);
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            using var response = await client.PostAsJsonAsync(
                destination.Url, new SlackPayload(SlackText.Escape(message.Text)), WebhookJsonContext.Default.SlackPayload, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _sent);
                return;
            }

            Interlocked.Increment(ref _failed);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            LogRejected(logger, message.Destination, (int)response.StatusCode, body.Length > 200 ? body[..200] : body);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
            LogTimedOut(logger, message.Destination, destination.Timeout);
        }
        catch (HttpRequestException e)
        {
            Interlocked.Increment(ref _failed);
            LogUnreachable(logger, message.Destination, e.HttpRequestError, e.InnerException?.Message ?? e.Message);
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Webhook {Destination} has no URL configured; the message would have been: {WebhookText}")]
    private static partial void LogNoUrl(ILogger logger, string destination, string webhookText);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Webhook {Destination} answered {StatusCode}: {ResponseBody}")]
    private static partial void LogRejected(ILogger logger, string destination, int statusCode, string responseBody);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Webhook {Destination} did not answer within {Timeout}")]
    private static partial void LogTimedOut(ILogger logger, string destination, TimeSpan timeout);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Webhook {Destination} could not be reached ({HttpRequestError}): {ErrorMessage}")]
    private static partial void LogUnreachable(ILogger logger, string destination, HttpRequestError httpRequestError, string errorMessage);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "A script sent to webhook {Destination}, which is not configured under Gateway:Webhooks:Destinations")]
    private static partial void LogUnknownDestination(ILogger logger, string destination);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "Stopping with {UndeliveredCount} webhook messages undelivered")]
    private static partial void LogUndelivered(ILogger logger, int undeliveredCount);
}
