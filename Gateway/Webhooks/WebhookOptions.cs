namespace Gateway.Webhooks;

/// <summary>The <c>Gateway:Webhooks</c> section: where scripts' messages go.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Gateway:Webhooks";

    /// <summary>The destination <c>Webhooks.Send(text)</c> sends to.</summary>
    public string Default { get; set; } = "slack";

    /// <summary>Destinations by name.</summary>
    public Dictionary<string, WebhookDestinationOptions> Destinations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many messages may wait for delivery; past it, new messages are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 10_000;
}
