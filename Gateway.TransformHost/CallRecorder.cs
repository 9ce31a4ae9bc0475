using Gateway.Scripting;
using Gateway.Scripting.Isolation;
using Microsoft.Extensions.Logging;

namespace Gateway.TransformHost;

/// <summary>
/// One call's <c>Webhooks</c> and <c>Log</c>: each message is copied into strings as the script makes it (inside its
/// run and budget), and travels back with the reply for the gateway to queue and write. Bounded, so that a chatty
/// script cannot make a reply without end.
/// </summary>
internal sealed class CallRecorder : IWebhookSender
{
    private const int MaxEntries = 100;
    private const int MaxMessageLength = 8 * 1024;

    // The event id of the entry that says what was dropped (the gateway writes it under the transform's name).
    private const int DroppedEventId = 2109;

    private readonly List<WebhookFrame> _webhooks = [];
    private readonly List<LogFrame> _logs = [];
    private int _droppedWebhooks;
    private int _droppedLogs;
    private int _running;
    private int _overflowedAt = -1;

    public WebhookFrame[] Webhooks
    {
        get
        {
            lock (_webhooks)
            {
                return [.. _webhooks];
            }
        }
    }

    /// <summary>
    /// The call's log entries; when the call made more log entries or webhook messages than a reply carries, a last
    /// entry says how many of each were dropped, so that no alert goes missing unsaid.
    /// </summary>
    public LogFrame[] Logs
    {
        get
        {
            lock (_logs)
            {
                var dropped = Volatile.Read(ref _droppedWebhooks);
                if (dropped == 0 && _droppedLogs == 0)
                {
                    return [.. _logs];
                }

                return [.. _logs, new LogFrame(Math.Max(0, Volatile.Read(ref _overflowedAt)), LogLevel.Warning, DroppedEventId, "TransformOutputDropped",
                    $"The transform made more than {MaxEntries} log entries or webhook messages in one run: {_droppedLogs} log entries and {dropped} webhook messages were dropped", null)];
            }
        }
    }

    public void Send(string text) => Add(new WebhookFrame(null, text, null));

    public void Send(string destination, string text) => Add(new WebhookFrame(destination, text, null));

    public void Send(WebhookAlert alert) => Add(new WebhookFrame(null, null, Copy(alert)));

    public void Send(string destination, WebhookAlert alert) => Add(new WebhookFrame(destination, null, Copy(alert)));

    /// <summary>Notes the transform of the chain now running: the one a dropped message is told against.</summary>
    public void Running(int index) => Volatile.Write(ref _running, index);

    public ILogger LoggerFor(int index, CompiledTransform transform) => new RecordingLogger(this, index);

    /// <summary>Records that the chain's result could not be written, as the gateway would log it.</summary>
    public void Unwritable(int index, Exception exception) =>
        AddLog(new LogFrame(index, LogLevel.Error, 3001, null,
            $"The transforms left a body that cannot be written as JSON ({exception.Message}); answering with the response as it was before them", null));

    private static AlertFrame? Copy(WebhookAlert? alert) => alert is null
        ? null
        : new AlertFrame(alert.Title ?? string.Empty, alert.Text, alert.Severity,
            alert.Fields?.Select(field => new[] { field.Key, field.Value }).ToArray(), alert.FoldKey);

    private void Add(WebhookFrame frame)
    {
        lock (_webhooks)
        {
            if (_webhooks.Count < MaxEntries)
            {
                _webhooks.Add(frame);
            }
            else
            {
                Interlocked.Increment(ref _droppedWebhooks);
                Interlocked.CompareExchange(ref _overflowedAt, Volatile.Read(ref _running), -1);
            }
        }
    }

    private void AddLog(LogFrame frame)
    {
        lock (_logs)
        {
            if (_logs.Count < MaxEntries)
            {
                _logs.Add(frame);
            }
            else
            {
                _droppedLogs++;
                Interlocked.CompareExchange(ref _overflowedAt, frame.Index, -1);
            }
        }
    }

    private sealed class RecordingLogger(CallRecorder recorder, int index) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is > LogLevel.Trace and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (message.Length > MaxMessageLength)
            {
                message = message[..MaxMessageLength] + "…";
            }

            // The exception's type and message only: a stack trace would carry the host's build paths.
            var error = exception is null ? null : $"{exception.GetType().Name}: {exception.Message}";
            recorder.AddLog(new LogFrame(index, logLevel, eventId.Id, eventId.Name, message, error));
        }
    }
}
