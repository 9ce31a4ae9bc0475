using Polly;

namespace Gateway.Webhooks.Delivery;

/// <summary>Counts the HTTP attempts of one delivery, through the Polly context that the delivery hands its request.</summary>
internal static class WebhookAttempts
{
    private static readonly ResiliencePropertyKey<int> RetriesKey = new("Gateway.Webhooks.Retries");

    /// <summary>Called by the retry strategy before each retry.</summary>
    public static void CountRetry(ResilienceContext context) =>
        context.Properties.Set(RetriesKey, context.Properties.GetValue(RetriesKey, 0) + 1);

    /// <summary>The attempts made so far: the first plus the retries.</summary>
    public static int Of(ResilienceContext context) => 1 + context.Properties.GetValue(RetriesKey, 0);
}
