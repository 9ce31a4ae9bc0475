using Gateway.Hosting;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gateway.Scripting;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// The <see cref="IWebhookSender"/> scripts get: it routes each message to its destination's bounded queue, where
/// storms are folded and overflow is dropped by policy. <c>Send</c> never blocks and never throws into the script.
/// </summary>
internal sealed partial class WebhookQueue : IWebhookSender
{
    /// <summary>Unknown destination names remembered (and logged once each); past it, they share one metrics tag.</summary>
    private const int MaxUnknownNames = 100;
    private const string OtherUnknownName = "(other)";

    private readonly Dictionary<string, WebhookDestination> _destinations;
    private readonly ConcurrentDictionary<string, byte> _unknownNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _defaultDestination;
    private readonly WebhookMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookQueue> _logger;

    public WebhookQueue(IOptions<WebhookOptions> options, WebhookMetrics metrics, TimeProvider time, ILogger<WebhookQueue> logger)
    {
        var settings = options.Value;
        _defaultDestination = settings.Default;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _destinations = settings.Destinations.ToDictionary(
            d => d.Key,
            d => new WebhookDestination(d.Key, d.Value, settings.WarningInterval, metrics, time, logger),
            StringComparer.OrdinalIgnoreCase);
        metrics.ObserveQueueLengths(() => _destinations.Values.Select(d => new Measurement<int>(d.Count, new KeyValuePair<string, object?>("destination", d.Name))));
    }

    /// <summary>The configured destinations.</summary>
    public IReadOnlyCollection<WebhookDestination> Destinations => _destinations.Values;

    /// <summary>Messages waiting, over all destinations.</summary>
    public int Count => _destinations.Values.Sum(d => d.Count);

    public WebhookDestination this[string name] => _destinations[name];

    public void Send(string text) => Send(_defaultDestination, text);

    public void Send(string destination, string text)
    {
        if (!string.IsNullOrEmpty(text))
        {
            Route(destination, text, null);
        }
    }

    public void Send(WebhookAlert alert) => Send(_defaultDestination, alert);

    public void Send(string destination, WebhookAlert alert)
    {
        if (alert is not null)
        {
            Route(destination, null, alert);
        }
    }

    private void Route(string? name, string? text, WebhookAlert? alert)
    {
        try
        {
            if (Find(name) is not { } target)
            {
                return;
            }

            var message = new WebhookMessage(target.Name, text, alert, _time.GetUtcNow());
            target.Accept(message);
        }
#pragma warning disable CA1031 // Send must never throw into a script; nothing here is expected to throw, but if it does, the request goes on.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogSendFailed(_logger, name ?? _defaultDestination, e);
        }
    }

    private WebhookDestination? Find(string? name)
    {
        name ??= _defaultDestination;
        if (_destinations.TryGetValue(name, out var destination))
        {
            return destination;
        }

        var remembered = _unknownNames.ContainsKey(name);
        if (!remembered && _unknownNames.Count < MaxUnknownNames && _unknownNames.TryAdd(name, 0))
        {
            LogUnknownDestination(_logger, name);
            remembered = true;
        }

        _metrics.Dropped(remembered ? name : OtherUnknownName, WebhookMessage.AlertKind, WebhookDropReasons.UnknownDestination, terminations: 1);
        return null;
    }

    [LoggerMessage(EventId = EventIds.WebhookSendFailed, Level = LogLevel.Error, Message = "A script's message for webhook {Destination} was lost to an unexpected error")]
    private static partial void LogSendFailed(ILogger logger, string destination, Exception exception);

    [LoggerMessage(EventId = EventIds.WebhookUnknownDestination, Level = LogLevel.Error,
        Message = "A script sent to webhook destination {Destination}, which is not configured under Gateway:Webhooks:Destinations; its messages are dropped and counted, and this is logged once")]
    private static partial void LogUnknownDestination(ILogger logger, string destination);
}
