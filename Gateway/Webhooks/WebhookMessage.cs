using Gateway.Scripting;

namespace Gateway.Webhooks;

/// <summary>
/// A message waiting in a destination's queue: a script's text or alert, or the follow-up that reports how many
/// like it were folded.
/// </summary>
/// <param name="Destination">The destination's configured name.</param>
/// <param name="Text">The text, when the script sent text.</param>
/// <param name="Alert">The alert, when the script sent one.</param>
/// <param name="QueuedAt">When it was queued.</param>
internal sealed record WebhookMessage(string Destination, string? Text, WebhookAlert? Alert, DateTimeOffset QueuedAt)
{
    /// <summary>The metrics tag of a script's message.</summary>
    public const string AlertKind = "alert";

    /// <summary>The metrics tag of a follow-up that reports folded messages.</summary>
    public const string FollowUpKind = "follow_up";

    /// <summary>For a follow-up: how many messages it stands for. Zero for a script's own message.</summary>
    public int FoldedCount { get; init; }

    /// <summary>For a follow-up: the time over which they were folded.</summary>
    public TimeSpan FoldedOver { get; init; }

    public bool IsFollowUp => FoldedCount > 0;

    /// <summary>How serious it is: the alert's severity; plain text is <see cref="AlertSeverity.Error"/>.</summary>
    public AlertSeverity Severity => Alert?.Severity ?? AlertSeverity.Error;

    /// <summary>How many terminations the message stands for: 1 for a script's own message, the folded count for a follow-up.</summary>
    public int Terminations => IsFollowUp ? FoldedCount : 1;

    /// <summary><see cref="AlertKind"/> or <see cref="FollowUpKind"/>, for metrics.</summary>
    public string Kind => IsFollowUp ? FollowUpKind : AlertKind;

    /// <summary>The follow-up sentence, e.g. <c>37 more like this in the last 60 s</c>; <see langword="null"/> for a script's message.</summary>
    public string? FoldedSummary => IsFollowUp
        ? FormattableString.Invariant($"{FoldedCount} more like this in the last {Math.Max(1, (long)Math.Ceiling(FoldedOver.TotalSeconds - 0.001))} s")
        : null;

    /// <summary>The message as one line of plain text, for the log: the text, or the alert's one-line form, after the follow-up sentence.</summary>
    public string PlainText
    {
        get
        {
            var text = Alert?.ToString() ?? Text ?? string.Empty;
            return IsFollowUp ? $"{FoldedSummary}: {text}" : text;
        }
    }

    /// <summary>The follow-up of this message that stands for <paramref name="count"/> folded ones.</summary>
    public WebhookMessage FollowUp(int count, TimeSpan over, DateTimeOffset now) =>
        this with { QueuedAt = now, FoldedCount = count, FoldedOver = over };
}
