using System.Threading.Channels;

namespace Gateway.Webhooks;

/// <summary>
/// One destination's side of the queue: its storm folder and its bounded channel. Scripts' messages come in through
/// <see cref="Accept"/>; its delivery loop reads <see cref="Reader"/>. Nothing here waits: a full channel drops a
/// message by the destination's <see cref="WebhookDropPolicy"/>, counts it and reports it at most once per interval.
/// </summary>
internal sealed partial class WebhookDestination
{
    private readonly Channel<WebhookMessage> _channel;
    private readonly WebhookMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ThrottledCount _drops;

    public WebhookDestination(
        string name, WebhookDestinationOptions options, TimeSpan warningInterval, WebhookMetrics metrics, TimeProvider time, ILogger logger)
    {
        Name = name;
        Options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _drops = new ThrottledCount(warningInterval);
        Folder = new StormFolder(options.FoldWindow);
        _channel = Channel.CreateBounded<WebhookMessage>(
            new BoundedChannelOptions(options.QueueCapacity)
            {
                // The channel's DropWrite gives up the message being written, which is what users call "the newest".
                FullMode = options.DropPolicy == WebhookDropPolicy.DropOldest ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.DropWrite,
                SingleReader = true,
                SingleWriter = false,
            },
            OnDropped);
    }

    /// <summary>The configured name, as metrics and logs show it.</summary>
    public string Name { get; }

    public WebhookDestinationOptions Options { get; }

    public StormFolder Folder { get; }

    /// <summary>Messages waiting.</summary>
    public int Count => _channel.Reader.Count;

    public ChannelReader<WebhookMessage> Reader => _channel.Reader;

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

        if (_drops.TryTake(now, out var dropped))
        {
            LogDropped(_logger, Name, dropped, _drops.Total, Options.DropPolicy);
        }
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

        _channel.Writer.TryComplete();
        var dropped = _drops.TakeAll();
        if (dropped > 0)
        {
            LogDropped(_logger, Name, dropped, _drops.Total, Options.DropPolicy);
        }
    }

    private void Enqueue(WebhookMessage message)
    {
        _metrics.Queued(Name, message.Kind);
        if (!_channel.Writer.TryWrite(message))
        {
            // Completed: a message that raced with shutdown.
            _metrics.Dropped(Name, message.Kind, WebhookDropReasons.Shutdown);
        }
    }

    private void OnDropped(WebhookMessage message)
    {
        _metrics.Dropped(Name, message.Kind, WebhookDropReasons.QueueFull);
        _drops.Add();
        if (_drops.TryTake(_time.GetUtcNow(), out var dropped))
        {
            LogDropped(_logger, Name, dropped, _drops.Total, Options.DropPolicy);
        }
    }

    [LoggerMessage(EventId = WebhookEventIds.Dropped, Level = LogLevel.Warning,
        Message = "The webhook queue for {Destination} is full: {DroppedCount} messages dropped ({DropPolicy}) since the last warning, {DroppedTotal} since start-up")]
    private static partial void LogDropped(ILogger logger, string destination, long droppedCount, long droppedTotal, WebhookDropPolicy dropPolicy);
}
