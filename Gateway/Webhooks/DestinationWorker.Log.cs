namespace Gateway.Webhooks;

/// <summary>The log messages of <see cref="DestinationWorker"/>. None carries the URL.</summary>
internal sealed partial class DestinationWorker
{
    [LoggerMessage(EventId = WebhookEventIds.LoggedInsteadOfSent, Level = LogLevel.Information,
        Message = "Webhook {Destination} has no URL configured; the message would have been: {WebhookText}")]
    private static partial void LogNoUrl(ILogger logger, string destination, string webhookText);

    [LoggerMessage(EventId = WebhookEventIds.Rejected, Level = LogLevel.Error,
        Message = "Webhook {Destination} refused a message with {StatusCode}: {ResponseBody}. It is not retried; further refusals like it are counted and summarised")]
    private static partial void LogRejected(ILogger logger, string destination, int statusCode, string responseBody);

    [LoggerMessage(EventId = WebhookEventIds.GaveUp, Level = LogLevel.Warning,
        Message = "Webhook {Destination}: a message was not delivered after {Attempts} attempts ({FailureReason}); further failures like it are counted and summarised")]
    private static partial void LogGaveUp(ILogger logger, string destination, int attempts, string failureReason);

    [LoggerMessage(EventId = WebhookEventIds.RepeatedFailures, Level = LogLevel.Warning,
        Message = "Webhook {Destination}: {FailedCount} more messages failed ({FailureReason}) within {Interval}")]
    private static partial void LogRepeatedFailures(ILogger logger, string destination, long failedCount, string failureReason, TimeSpan interval);
}
