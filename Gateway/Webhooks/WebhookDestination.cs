using Gateway.Hosting;
namespace Gateway.Webhooks;

/// <summary>
/// One destination's side of the queue: its storm folder and its bounded <see cref="WebhookBacklog"/>, most severe
/// first. Scripts' messages come in through <see cref="Accept"/>; its delivery loop reads <see cref="Backlog"/>. Nothing
/// here waits: a full backlog gives up a message of the lowest severity by the destination's
/// <see cref="WebhookDropPolicy"/>, counts it and reports it at most once per interval.
/// </summary>
internal sealed partial class WebhookDestination
{
    private readonly WebhookBacklog _backlog;
    private readonly WebhookMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ThrottledCount _drops;
    private readonly ThrottledCount _droppedTerminations;

    public WebhookDestination(
        string name, WebhookDestinationOptions options, TimeSpan warningInterval, WebhookMetrics metrics, TimeProvider time, ILogger logger)
    {
        Name = name;
        Options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _drops = new ThrottledCount(warningInterval);
        _droppedTerminations = new ThrottledCount(warningInterval);
        Folder = new StormFolder(options.FoldWindow, options.ResolveAfter);
        _backlog = new WebhookBacklog(options.QueueCapacity, options.DropPolicy, OnDropped);
    }

    /// <summary>The configured name, as metrics and logs show it.</summary>
    public string Name { get; }

    public WebhookDestinationOptions Options { get; }

    public StormFolder Folder { get; }

    /// <summary>Messages waiting.</summary>
    public int Count => _backlog.Count;

    public WebhookBacklog Backlog => _backlog;

    /// <summary>Folds or queues a script's message. Never blocks, never throws.</summary>
    public void Accept(WebhookMessage message)
    {
        // With folding off there is no key to build and no window to look up: straight onto the queue.
        if (Folder.Window > TimeSpan.Zero && Folder.Admit(WebhookFoldKey.For(message), message, message.QueuedAt) == FoldDecision.Folded)
        {
            _metrics.Folded(Name);
            return;
        }

        // Sent, or Closed (shutting down: nothing is folded any more, since a follow-up would never go out). A
        // completed queue counts it as dropped.
        Enqueue(message);
    }

    public void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var followUp in Folder.Expire(now))
        {
            Enqueue(followUp);
        }

        ReportDrops(now);
    }

    /// <summary>
    /// Stops taking messages: the follow-ups of open windows are queued, then the channel is completed, so the delivery
    /// loop ends once it has delivered what is left.
    /// </summary>
    public void Close()
    {
        foreach (var followUp in Folder.Close(_time.GetUtcNow()))
        {
            Enqueue(followUp);
        }

        _backlog.Complete();
        var dropped = _drops.TakeAll();
        if (dropped > 0)
        {
            LogDropped(_logger, Name, dropped, _droppedTerminations.TakeAll(), _drops.Total, _droppedTerminations.Total, Options.DropPolicy);
        }
    }

    /// <summary>Queues a follow-up this replica owes the fleet (a shared fold window it owned is over).</summary>
    public void EnqueueFleetFollowUp(WebhookMessage followUp) => Enqueue(followUp);

    private void Enqueue(WebhookMessage message)
    {
        _metrics.Queued(Name, message.Kind);
        if (!_backlog.TryWrite(message))
        {
            // Completed: a message that raced with shutdown.
            _metrics.Dropped(Name, message.Kind, WebhookDropReasons.Shutdown, message.Terminations);
        }
    }

    private void OnDropped(WebhookMessage message)
    {
        _metrics.Dropped(Name, message.Kind, WebhookDropReasons.QueueFull, message.Terminations);
        _droppedTerminations.Add(message.Terminations);
        _drops.Add();
        ReportDrops(_time.GetUtcNow());
    }

    private void ReportDrops(DateTimeOffset now)
    {
        if (_drops.TryTake(now, out var dropped))
        {
            LogDropped(_logger, Name, dropped, _droppedTerminations.TakeAll(), _drops.Total, _droppedTerminations.Total, Options.DropPolicy);
        }
    }

    [LoggerMessage(EventId = EventIds.WebhookDropped, Level = LogLevel.Warning,
        Message = "The webhook queue for {Destination} is full: {DroppedCount} messages standing for {DroppedTerminations} terminations dropped ({DropPolicy}, lowest severity first) since the last warning; {DroppedTotal} messages, {DroppedTerminationsTotal} terminations since start-up")]
    private static partial void LogDropped(ILogger logger, string destination, long droppedCount, long droppedTerminations, long droppedTotal, long droppedTerminationsTotal, WebhookDropPolicy dropPolicy);
}
