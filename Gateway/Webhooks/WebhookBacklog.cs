using System.Diagnostics.CodeAnalysis;
using Gateway.Scripting;

namespace Gateway.Webhooks;

/// <summary>
/// One destination's bounded queue, most severe first: <see cref="AlertSeverity.Critical"/> and
/// <see cref="AlertSeverity.Error"/> messages are read before <see cref="AlertSeverity.Warning"/> and
/// <see cref="AlertSeverity.Info"/> ones, each severity oldest first. When it is full, the message given up is one of the
/// lowest severity present (the incoming one included): the oldest of them with <see cref="WebhookDropPolicy.DropOldest"/>,
/// the newest with <see cref="WebhookDropPolicy.DropNewest"/>. Writing never waits; one reader waits for messages.
/// </summary>
internal sealed class WebhookBacklog
{
    private static readonly int Severities = Enum.GetValues<AlertSeverity>().Length;

    private readonly LinkedList<WebhookMessage>[] _bySeverity;
    private readonly Lock _lock = new();
    private readonly int _capacity;
    private readonly WebhookDropPolicy _policy;
    private readonly Action<WebhookMessage> _onDropped;
    private TaskCompletionSource? _signal;
    private int _count;
    private bool _completed;

    /// <param name="capacity">The most messages that may wait.</param>
    /// <param name="policy">Which message of the lowest severity a full queue gives up.</param>
    /// <param name="onDropped">Told of each message given up, outside the lock.</param>
    public WebhookBacklog(int capacity, WebhookDropPolicy policy, Action<WebhookMessage> onDropped)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _policy = policy;
        _onDropped = onDropped;
        _bySeverity = [.. Enumerable.Range(0, Severities).Select(_ => new LinkedList<WebhookMessage>())];
    }

    /// <summary>Messages waiting.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Queues <paramref name="message"/>, giving one up when full; false when the backlog is completed.</summary>
    public bool TryWrite(WebhookMessage message)
    {
        WebhookMessage? dropped = null;
        TaskCompletionSource? signal;
        lock (_lock)
        {
            if (_completed)
            {
                return false;
            }

            if (_count == _capacity)
            {
                var lowest = LowestPresent();
                var severity = (int)message.Severity;
                if (severity < lowest || (severity == lowest && _policy == WebhookDropPolicy.DropNewest))
                {
                    // The incoming message is the lowest and (for DropNewest) the newest: it is the one given up.
                    dropped = message;
                }
                else
                {
                    var list = _bySeverity[lowest];
                    dropped = _policy == WebhookDropPolicy.DropOldest ? list.First!.Value : list.Last!.Value;
                    if (_policy == WebhookDropPolicy.DropOldest)
                    {
                        list.RemoveFirst();
                    }
                    else
                    {
                        list.RemoveLast();
                    }

                    _count--;
                }
            }

            if (!ReferenceEquals(dropped, message))
            {
                _bySeverity[(int)message.Severity].AddLast(message);
                _count++;
            }

            signal = _signal;
            _signal = null;
        }

        signal?.TrySetResult();
        if (dropped is not null)
        {
            _onDropped(dropped);
        }

        return true;
    }

    /// <summary>Takes the most severe, oldest message waiting.</summary>
    public bool TryRead([MaybeNullWhen(false)] out WebhookMessage message)
    {
        lock (_lock)
        {
            for (var severity = Severities - 1; severity >= 0; severity--)
            {
                if (_bySeverity[severity].First is { } first)
                {
                    _bySeverity[severity].RemoveFirst();
                    _count--;
                    message = first.Value;
                    return true;
                }
            }
        }

        message = null;
        return false;
    }

    /// <summary>Takes up to <paramref name="max"/> messages, most severe first, each severity oldest first.</summary>
    public List<WebhookMessage> Take(int max)
    {
        var taken = new List<WebhookMessage>(Math.Min(max, Count));
        while (taken.Count < max && TryRead(out var message))
        {
            taken.Add(message);
        }

        return taken;
    }

    /// <summary>Waits until a message is waiting (true) or the backlog is completed and empty (false).</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_count > 0)
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }

                _signal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _signal.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Whether <see cref="Complete"/> was called: no more messages come.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_lock)
            {
                return _completed;
            }
        }
    }

    /// <summary>Takes no more messages; the reader still gets those waiting.</summary>
    public void Complete()
    {
        TaskCompletionSource? signal;
        lock (_lock)
        {
            _completed = true;
            signal = _signal;
            _signal = null;
        }

        signal?.TrySetResult();
    }

    private int LowestPresent()
    {
        for (var severity = 0; severity < Severities; severity++)
        {
            if (_bySeverity[severity].Count > 0)
            {
                return severity;
            }
        }

        return Severities - 1;
    }
}
