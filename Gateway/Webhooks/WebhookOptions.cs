namespace Gateway.Webhooks;

/// <summary>The <c>Gateway:Webhooks</c> section: where scripts' messages go.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Gateway:Webhooks";

    /// <summary>The destination <c>Webhooks.Send(text)</c> sends to.</summary>
    public string Default { get; set; } = "slack";

    /// <summary>Destinations by name, matched case-insensitively.</summary>
    public Dictionary<string, WebhookDestinationOptions> Destinations { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long shutdown waits for the queues to drain before it gives up on what is left.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The shortest time between two warnings about the same kind of loss (drops, rejections).</summary>
    public TimeSpan WarningInterval { get; set; } = TimeSpan.FromSeconds(10);
}
