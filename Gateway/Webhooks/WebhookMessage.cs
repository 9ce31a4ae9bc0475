using Gateway.Scripting;

namespace Gateway.Webhooks;

/// <summary>
/// A message waiting in a destination's queue: a script's text or alert, the follow-up that reports how many like it
/// were folded, or the notice that a storm of them is over.
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

    /// <summary>The metrics tag of a notice that a storm is over.</summary>
    public const string ResolvedKind = "resolved";

    /// <summary>For a follow-up: how many messages it stands for. Zero for a script's own message.</summary>
    public int FoldedCount { get; init; }

    /// <summary>For a follow-up: when the first and the last of the folded messages came.</summary>
    public (DateTimeOffset From, DateTimeOffset To) FoldedSpan { get; init; }

    /// <summary>For a follow-up: the time from the first folded message to the last.</summary>
    public TimeSpan FoldedOver => FoldedSpan.To - FoldedSpan.From;

    public bool IsFollowUp => FoldedCount > 0;

    /// <summary>For a resolved notice: how many times the alert occurred in the storm, and when the first and last did.</summary>
    public (long Occurrences, DateTimeOffset From, DateTimeOffset To)? Resolved { get; init; }

    /// <summary>
    /// How serious it is: the alert's severity (plain text is <see cref="AlertSeverity.Error"/>); a resolved notice is
    /// <see cref="AlertSeverity.Info"/>, so that it never goes before an alert.
    /// </summary>
    public AlertSeverity Severity => Resolved is not null ? AlertSeverity.Info : Alert?.Severity ?? AlertSeverity.Error;

    /// <summary>
    /// How many terminations the message stands for: 1 for a script's own message, the folded count for a follow-up,
    /// none for a resolved notice (its terminations were counted when they happened).
    /// </summary>
    public int Terminations => Resolved is not null ? 0 : IsFollowUp ? FoldedCount : 1;

    /// <summary><see cref="AlertKind"/>, <see cref="FollowUpKind"/> or <see cref="ResolvedKind"/>, for metrics.</summary>
    public string Kind => Resolved is not null ? ResolvedKind : IsFollowUp ? FollowUpKind : AlertKind;

    /// <summary>
    /// The resolved sentence, e.g. <c>Resolved — 38 occurrences between 10:02:11 and 10:08:40 UTC</c>;
    /// <see langword="null"/> unless this is a resolved notice.
    /// </summary>
    public string? ResolvedSummary => Resolved is { } storm
        ? FormattableString.Invariant($"Resolved — {storm.Occurrences} occurrences between {storm.From.UtcDateTime:HH:mm:ss} and {storm.To.UtcDateTime:HH:mm:ss} UTC")
        : null;

    /// <summary>
    /// The follow-up sentence, e.g. <c>37 more like this between 10:02:12 and 10:03:10 UTC</c>: the span it covers, true
    /// however long it waits to be sent; <see langword="null"/> for a script's message.
    /// </summary>
    public string? FoldedSummary => IsFollowUp
        ? Span(FoldedSpan.From, FoldedSpan.To) is (var from, var to) && from == to
            ? FormattableString.Invariant($"{FoldedCount} more like this at {from} UTC")
            : FormattableString.Invariant($"{FoldedCount} more like this between {from} and {to} UTC")
        : null;

    private static (string From, string To) Span(DateTimeOffset from, DateTimeOffset to) =>
        (from.UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
         to.UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The message as one line of plain text, for the log: the text, or the alert's one-line form, after the follow-up sentence.</summary>
    public string PlainText
    {
        get
        {
            var text = Alert?.ToString() ?? Text ?? string.Empty;
            return ResolvedSummary is { } resolved ? $"{resolved}: {text}" : IsFollowUp ? $"{FoldedSummary}: {text}" : text;
        }
    }

    /// <summary>The follow-up of this message that stands for <paramref name="count"/> folded ones.</summary>
    /// <param name="count">How many were folded.</param>
    /// <param name="from">When the first of them came.</param>
    /// <param name="to">When the last of them came.</param>
    /// <param name="now">When the follow-up is queued.</param>
    public WebhookMessage FollowUp(int count, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now) =>
        this with { QueuedAt = now, FoldedCount = count, FoldedSpan = (from, to) };

    /// <summary>The notice that the storm this message started is over: <paramref name="occurrences"/> between the two times.</summary>
    public WebhookMessage ResolvedNotice(long occurrences, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now) =>
        this with { QueuedAt = now, FoldedCount = 0, FoldedSpan = default, Resolved = (occurrences, from, to) };
}
