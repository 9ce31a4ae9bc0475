using System.Runtime.CompilerServices;
using System.Threading.RateLimiting;
using Gateway.Webhooks.Formatting;

namespace Gateway.Webhooks.Delivery;

/// <summary>
/// The delivery loop of one destination: it waits for a message, then for the destination's rate-limit token
/// (<see cref="WebhookPacing"/>), then takes what is waiting by then, most severe first, as many as one post may carry;
/// the destination kind's <see cref="IWebhookFormatter"/> renders them (a digest when there are several), the
/// <see cref="WebhookPoster"/> posts it, and the loop counts how it ended; failures go to the
/// <see cref="DeliveryFailureLog"/>. One loop per destination, so one slow destination never
/// holds up another. A destination without a URL has its messages written to the log instead.
/// With a shared queue (<see cref="IFleetQueue"/>, Redis), the loop moves what this replica queued into it, folded for
/// the fleet, and posts what it takes from it when its turn comes; stopping, it leaves the rest to the other replicas.
/// </summary>
internal sealed partial class DestinationWorker
{
    // How often a replica looks at an empty shared queue.
    private static readonly TimeSpan SharedQueuePoll = TimeSpan.FromMilliseconds(250);

    private readonly WebhookDestination _destination;
    private readonly IWebhookFormatter _formatter;
    private readonly WebhookPacing _pacing;
    private readonly IFleetFolding _fleet;
    private readonly IFleetQueue _queue;
    private readonly int _perPost;
    private readonly WebhookPoster? _poster;
    private readonly DeliveryFailureLog _failures;
    private readonly WebhookMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _undelivered;
    private long _undeliveredTerminations;
    private long _delivered;

    public DestinationWorker(
        WebhookDestination destination,
        IWebhookFormatter formatter,
        WebhookPacing pacing,
        IFleetFolding fleet,
        IFleetQueue queue,
        IHttpClientFactory clients,
        WebhookMetrics metrics,
        TimeProvider time,
        TimeSpan warningInterval,
        ILogger logger)
    {
        _destination = destination;
        _formatter = formatter;
        _pacing = pacing;
        _fleet = fleet;
        _queue = queue;
        _perPost = Math.Max(1, formatter.MaxMessagesPerPost(destination.Options));
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _failures = new DeliveryFailureLog(destination.Name, warningInterval, time, logger);
        var options = destination.Options;
        _poster = string.IsNullOrWhiteSpace(options.Url)
            ? null
            : new WebhookPoster(destination.Name, new Uri(options.Url, UriKind.Absolute), options.Timeout, clients);
    }

    public string Name => _destination.Name;

    /// <summary>Messages delivered (or logged) since start-up.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>The last delivery, for the status API; null before the first.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>The last failure (with Slack's error code or the error, never the URL), for the status API; null before the first.</summary>
    public WebhookDeliveryFailure? LastFailure { get; private set; }

    /// <summary>Messages given up on because the drain deadline passed.</summary>
    public long Undelivered => Interlocked.Read(ref _undelivered);

    /// <summary>The terminations that the undelivered messages stood for.</summary>
    public long UndeliveredTerminations => Interlocked.Read(ref _undeliveredTerminations);

    /// <summary>
    /// Delivers until the queue is completed and empty, or until <paramref name="abort"/> (the drain deadline); then
    /// counts what is left as undelivered.
    /// </summary>
    public async Task RunAsync(CancellationToken abort)
    {
        try
        {
            if (_queue.IsShared)
            {
                await RunSharedAsync(abort);
            }

            while (!_queue.IsShared && await _destination.Backlog.WaitToReadAsync(abort))
            {
                // The token first: what arrives while the rate limit holds the post back joins it.
                var turn = _poster is null ? null : await _pacing.WaitForTurnAsync(Name, abort);
                var messages = await FoldForFleetAsync(_destination.Backlog.Take(_perPost), abort);
                if (messages.Count == 0)
                {
                    turn?.Dispose();
                    continue;
                }

                await DeliverAsync(messages, turn, abort);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // The drain deadline passed; what is still queued is counted below.
        }

        while (_destination.Backlog.TryRead(out var left))
        {
            GiveUpAtShutdown(left);
        }
    }

    /// <summary>
    /// The loops with a shared queue: one moves what this replica queues into it, at once, so that a replica killed
    /// while it posts loses nothing queued; the other posts a post's worth from it when this replica's turn comes. On
    /// stopping, the first moves what is left in and the second stops taking: the other replicas post the rest.
    /// </summary>
    private async Task RunSharedAsync(CancellationToken abort)
    {
        var posting = PostFromSharedQueueAsync(abort);
        try
        {
            while (await _destination.Backlog.WaitToReadAsync(abort))
            {
                // Folded for the fleet, then shared; what does not go in (Redis away, the queue full) is posted from here.
                // Not cancelled by the drain deadline (each call is bounded by Redis' operation timeout): what was
                // taken from the backlog must land somewhere.
                var own = await FoldForFleetAsync(_destination.Backlog.Take(int.MaxValue), CancellationToken.None);
                foreach (var chunk in (await _queue.AddAsync(_destination, own, CancellationToken.None)).Chunk(_perPost))
                {
                    var turn = _poster is null ? null : await _pacing.WaitForTurnAsync(Name, abort);
                    await DeliverAsync([.. chunk], turn, abort);
                }
            }
        }
        finally
        {
            await posting;
        }
    }

    private async Task PostFromSharedQueueAsync(CancellationToken abort)
    {
        while (!_destination.Backlog.IsCompleted)
        {
            var entries = await _queue.TakeAsync(_destination, _perPost, abort);
            if (entries.Count == 0)
            {
                await Task.Delay(SharedQueuePoll, _time, abort);
                continue;
            }

            await DeliverSharedAsync(entries, abort);
        }
    }

    /// <summary>
    /// Waits for the token, tops the post up with what came meanwhile, posts it, and removes it from the shared queue;
    /// the claim on it is renewed all along, so that no other replica takes it for a dead replica's.
    /// </summary>
    private async Task DeliverSharedAsync(IReadOnlyList<FleetQueueEntry> entries, CancellationToken abort)
    {
        var held = new StrongBox<IReadOnlyList<FleetQueueEntry>>(entries);
        using var keeping = CancellationTokenSource.CreateLinkedTokenSource(abort);
        var keeper = KeepClaimedAsync(held, keeping.Token);
        try
        {
            var turn = _poster is null ? null : await _pacing.WaitForTurnAsync(Name, abort);
            if (entries.Count < _perPost)
            {
                held.Value = entries = [.. entries, .. await _queue.TakeAsync(_destination, _perPost - entries.Count, abort)];
            }

            await DeliverAsync([.. entries.Select(entry => entry.Message).OrderByDescending(message => message.Severity)], turn, abort, shared: true);
        }
        finally
        {
            await keeping.CancelAsync();
            await keeper;
        }

        // Delivered or given up on: removed even past the drain deadline, or another replica would post it again.
        await _queue.DoneAsync(_destination, entries, CancellationToken.None);
    }

    private async Task KeepClaimedAsync(StrongBox<IReadOnlyList<FleetQueueEntry>> held, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_queue.KeepEvery, _time, stop);
                await _queue.KeepAsync(_destination, held.Value!, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The post is over.
        }
    }

    /// <summary>Leaves out what the fleet folds into another replica's post (only ever with Redis).</summary>
    private async Task<List<WebhookMessage>> FoldForFleetAsync(List<WebhookMessage> messages, CancellationToken abort)
    {
        if (_destination.Options.FoldWindow <= TimeSpan.Zero)
        {
            return messages;
        }

        var posted = new List<WebhookMessage>(messages.Count);
        foreach (var message in messages)
        {
            if (await _fleet.ShouldPostAsync(_destination, message, abort))
            {
                posted.Add(message);
            }
            else
            {
                _metrics.FleetFolded(Name, message.Kind);
            }
        }

        return posted;
    }

    /// <summary>Reports repeated failures whose summary is due. Called every tick, and with <paramref name="all"/> at shutdown.</summary>
    public void ReportFailures(bool all = false) => _failures.Report(all);

    /// <param name="messages">What the post carries.</param>
    /// <param name="turn">The token for its first attempt.</param>
    /// <param name="abort">The drain deadline.</param>
    /// <param name="shared">Taken from the shared queue: when the deadline cuts the post short, another replica posts it.</param>
    private async Task DeliverAsync(List<WebhookMessage> messages, RateLimitLease? turn, CancellationToken abort, bool shared = false)
    {
        if (_poster is null)
        {
            foreach (var message in messages)
            {
                LogNoUrl(_logger, Name, message.PlainText);
                CountDelivered(message);
            }

            return;
        }

        DeliveryOutcome outcome;
        try
        {
            outcome = await _poster.PostAsync(_formatter.Format(messages, _destination.Count, _destination.Options), turn, abort);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            turn?.Dispose();
            foreach (var message in shared ? [] : messages)
            {
                GiveUpAtShutdown(message);
            }

            throw;
        }

        if (outcome.Result == DeliveryResult.Delivered)
        {
            foreach (var message in messages)
            {
                CountDelivered(message);
            }

            return;
        }

        var reason = outcome.Result == DeliveryResult.Rejected ? WebhookDropReasons.Rejected : WebhookDropReasons.Failed;
        LastFailure = outcome.Result == DeliveryResult.Rejected
            ? new WebhookDeliveryFailure(_time.GetUtcNow(), outcome.StatusCode, outcome.ResponseBody, outcome.Reason)
            : new WebhookDeliveryFailure(_time.GetUtcNow(), null, null, outcome.Reason);
        foreach (var message in messages)
        {
            _metrics.Failed(Name, message.Kind, reason, message.Terminations);
        }

        _failures.Add(outcome, messages.Count, messages.Sum(message => (long)message.Terminations));
    }

    private void CountDelivered(WebhookMessage message)
    {
        Interlocked.Increment(ref _delivered);
        LastSuccess = _time.GetUtcNow();
        _metrics.Sent(Name, message.Kind, _time.GetUtcNow() - message.QueuedAt, message.Terminations);
    }

    private void GiveUpAtShutdown(WebhookMessage message)
    {
        Interlocked.Increment(ref _undelivered);
        Interlocked.Add(ref _undeliveredTerminations, message.Terminations);
        _metrics.Dropped(Name, message.Kind, WebhookDropReasons.Shutdown, message.Terminations);
    }
}
