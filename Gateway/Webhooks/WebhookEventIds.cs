namespace Gateway.Webhooks;

/// <summary>The event ids of the webhook log messages, in one place: 40xx when sending, 41xx when delivering.</summary>
internal static class WebhookEventIds
{
    public const int Dropped = 4001;
    public const int UnknownDestination = 4002;
    public const int SendFailed = 4003;

    public const int LoggedInsteadOfSent = 4101;
    public const int Rejected = 4102;
    public const int GaveUp = 4103;
    public const int RepeatedFailures = 4104;
    public const int Drained = 4105;
    public const int Undelivered = 4106;
    public const int TickFailed = 4107;
}
