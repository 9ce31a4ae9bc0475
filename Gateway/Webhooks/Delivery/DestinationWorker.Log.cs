using Gateway.Hosting;
namespace Gateway.Webhooks.Delivery;

/// <summary>The log messages of <see cref="DestinationWorker"/>. None carries the URL.</summary>
internal sealed partial class DestinationWorker
{
    [LoggerMessage(EventId = EventIds.WebhookLoggedInsteadOfSent, Level = LogLevel.Information,
        Message = "Webhook {Destination} has no URL configured; the message would have been: {WebhookText}")]
    private static partial void LogNoUrl(ILogger logger, string destination, string webhookText);
}
