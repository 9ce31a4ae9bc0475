using Gateway.Hosting;
using System.Collections.Concurrent;

namespace Gateway.Webhooks.Delivery;

/// <summary>
/// Logs a destination's delivery failures without flooding: each kind of failure (its reason) in full the first time,
/// then a count at most once per interval. The reasons never hold the URL.
/// </summary>
internal sealed partial class DeliveryFailureLog(string destination, TimeSpan interval, TimeProvider time, ILogger logger)
{
    private const int MaxFailureKinds = 100;

    private readonly ConcurrentDictionary<string, ThrottledCount> _failures = new(StringComparer.Ordinal);

    /// <summary>Records a failed post that stood for <paramref name="terminations"/> terminations.</summary>
    public void Add(DeliveryOutcome outcome, int messages, long terminations)
    {
        if (!IsFirst(outcome.Reason))
        {
            return;
        }

        if (outcome.Result == DeliveryResult.Rejected)
        {
            LogRejected(logger, destination, outcome.StatusCode ?? 0, outcome.ResponseBody, messages, terminations);
        }
        else
        {
            LogGaveUp(logger, destination, outcome.Attempts, outcome.Reason, messages, terminations);
        }
    }

    /// <summary>Reports the repeated failures whose summary is due; with <paramref name="all"/> (at shutdown), all of them.</summary>
    public void Report(bool all = false)
    {
        var now = time.GetUtcNow();
        foreach (var (reason, failures) in _failures)
        {
            var count = all ? failures.TakeAll() : failures.TryTake(now, out var due) ? due : 0;
            if (count > 0)
            {
                LogRepeatedFailures(logger, destination, count, reason, interval);
            }
        }
    }

    /// <summary>Counts a failure of this kind; true for the first, which is logged in full at once.</summary>
    private bool IsFirst(string reason)
    {
        if (_failures.TryGetValue(reason, out var failures))
        {
            failures.Add();
            return false;
        }

        // Past this many kinds of failure, further new kinds are counted by the metrics only.
        if (_failures.Count < MaxFailureKinds)
        {
            failures = new ThrottledCount(interval);
            failures.Defer(time.GetUtcNow());
            _failures[reason] = failures;
        }

        return true;
    }

    [LoggerMessage(EventId = EventIds.WebhookRejected, Level = LogLevel.Error,
        Message = "Webhook {Destination} refused a message with {StatusCode}: {ResponseBody} ({MessageCount} messages, {TerminationCount} terminations lost). It is not retried; further refusals like it are counted and summarised")]
    private static partial void LogRejected(ILogger logger, string destination, int statusCode, string responseBody, int messageCount, long terminationCount);

    [LoggerMessage(EventId = EventIds.WebhookGaveUp, Level = LogLevel.Warning,
        Message = "Webhook {Destination}: a message was not delivered after {Attempts} attempts ({FailureReason}; {MessageCount} messages, {TerminationCount} terminations lost); further failures like it are counted and summarised")]
    private static partial void LogGaveUp(ILogger logger, string destination, int attempts, string failureReason, int messageCount, long terminationCount);

    [LoggerMessage(EventId = EventIds.WebhookRepeatedFailures, Level = LogLevel.Warning,
        Message = "Webhook {Destination}: {FailedCount} more messages failed ({FailureReason}) within {Interval}")]
    private static partial void LogRepeatedFailures(ILogger logger, string destination, long failedCount, string failureReason, TimeSpan interval);
}
