using System.Threading.Channels;
using Gateway.Scripting;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// The <see cref="IWebhookSender"/> scripts get: a bounded in-memory queue. <see cref="Send"/> never blocks and
/// never throws; when the queue is full the new message is dropped and counted, and a warning says so.
/// </summary>
internal sealed partial class WebhookQueue : IWebhookSender
{
    private readonly Channel<WebhookMessage> _channel;
    private readonly string _defaultDestination;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookQueue> _logger;
    private long _dropped;

    public WebhookQueue(IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookQueue> logger)
    {
        _defaultDestination = options.Value.Default;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<WebhookMessage>(
            new BoundedChannelOptions(options.Value.QueueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = true,
                SingleWriter = false,
            },
            OnDropped);
    }

    /// <summary>Messages dropped because the queue was full, since start-up.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Messages waiting.</summary>
    public int Count => _channel.Reader.Count;

    public ChannelReader<WebhookMessage> Reader => _channel.Reader;

    public void Send(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        _channel.Writer.TryWrite(new WebhookMessage(_defaultDestination, text, _time.GetUtcNow()));
    }

    /// <summary>Stops accepting messages; the reader drains what is queued.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    private void OnDropped(WebhookMessage message)
    {
        var dropped = Interlocked.Increment(ref _dropped);

        // One warning for the first drop, then one per thousand, so a storm does not flood the log.
        if (dropped == 1 || dropped % 1000 == 0)
        {
            LogDropped(_logger, message.Destination, dropped);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "The webhook queue is full: dropped a message for {Destination} ({DroppedTotal} dropped since start-up)")]
    private static partial void LogDropped(ILogger logger, string destination, long droppedTotal);
}
