using Gateway.Hosting;
using Gateway.Webhooks.Delivery;
using Gateway.Webhooks.Formatting;
using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// Runs one <see cref="DestinationWorker"/> per destination and a tick that closes fold windows and reports drops and
/// failures. On shutdown it stops taking messages, queues the follow-ups of open fold windows, lets every queue drain
/// until <see cref="WebhookOptions.DrainTimeout"/>, then gives up on what is left and logs it per destination.
/// </summary>
/// <remarks>
/// The web server is stopped before the hosted services (WebApplication starts it last), so by the time this
/// drains, the gateway has stopped taking requests.
/// </remarks>
internal sealed partial class WebhookDeliveryService(
    WebhookQueue queue,
    IHttpClientFactory clients,
    WebhookFormatters formatters,
    WebhookPacing pacing,
    IFleetFolding fleet,
    IFleetQueue fleetQueue,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliveryService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan MinTick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxTick = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<DestinationWorker> _workers = [];
    private Task _loops = Task.CompletedTask;
    private Task _fleetLoop = Task.CompletedTask;
    private ITimer? _tick;

    public IReadOnlyList<DestinationWorker> Workers => _workers;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        foreach (var destination in queue.Destinations)
        {
            _workers.Add(new DestinationWorker(
                destination, formatters.For(destination.Options.Kind), pacing, fleet, fleetQueue, clients, metrics, time, settings.WarningInterval, logger));
        }

        _loops = Task.WhenAll(_workers.Select(worker => Task.Run(() => worker.RunAsync(_abort.Token), CancellationToken.None)));
        var period = TickPeriod(settings);
        _tick = time.CreateTimer(_ => Tick(), null, period, period);
        if (fleet is not SingleReplicaFolding)
        {
            _fleetLoop = Task.Run(() => CollectFleetFollowUpsAsync(period, _abort.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_tick is not null)
        {
            await _tick.DisposeAsync();
        }

        // The shared fold windows this replica owns: their follow-ups now (the others' counts are in them), and
        // the windows given up, so that what the other replicas still count is posted by them.
        _stopping.Cancel();
        await _fleetLoop;
        await CollectFleetFollowUpsOnceAsync(all: true, cancellationToken);

        var queued = queue.Destinations.ToDictionary(d => d.Name, d => d.Count);
        var deliveredBefore = _workers.ToDictionary(w => w.Name, w => w.Delivered);
        foreach (var destination in queue.Destinations)
        {
            destination.Close();
        }

        var drainTimeout = options.Value.DrainTimeout;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            deadline.CancelAfter(drainTimeout);
            try
            {
                await _loops.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // The deadline: abort below.
            }
        }

        if (!_loops.IsCompleted)
        {
            await _abort.CancelAsync();
            await _loops;
        }

        foreach (var worker in _workers)
        {
            worker.ReportFailures(all: true);
            var delivered = worker.Delivered - deliveredBefore[worker.Name];
            if (worker.Undelivered > 0)
            {
                LogUndelivered(logger, worker.Name, worker.Undelivered, worker.UndeliveredTerminations, delivered, drainTimeout);
            }
            else if (queued[worker.Name] > 0 || delivered > 0)
            {
                LogDrained(logger, worker.Name, delivered);
            }
        }
    }

    public void Dispose()
    {
        _tick?.Dispose();
        _abort.Dispose();
        _stopping.Dispose();
    }

    private static TimeSpan TickPeriod(WebhookOptions settings)
    {
        var shortest = settings.Destinations.Values.Select(d => d.FoldWindow).Where(w => w > TimeSpan.Zero)
            .Append(settings.WarningInterval).Min();
        return TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 10, MinTick.Ticks, MaxTick.Ticks));
    }

    private async Task CollectFleetFollowUpsAsync(TimeSpan period, CancellationToken abort)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(abort, _stopping.Token);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(period, time, stopping.Token);
                await CollectFleetFollowUpsOnceAsync(all: false, stopping.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: StopAsync collects once more, giving every window up.
        }
    }

    private async Task CollectFleetFollowUpsOnceAsync(bool all, CancellationToken cancellationToken)
    {
        foreach (var destination in queue.Destinations)
        {
            try
            {
                foreach (var followUp in await fleet.CollectAsync(destination, time.GetUtcNow(), all, cancellationToken))
                {
                    destination.EnqueueFleetFollowUp(followUp);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // The next round tries again; a failing collection must not end the loop.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogTickFailed(logger, e);
            }
        }
    }

    private void Tick()
    {
        try
        {
            foreach (var destination in queue.Destinations)
            {
                destination.Sweep();
            }

            foreach (var worker in _workers)
            {
                worker.ReportFailures();
            }
        }
#pragma warning disable CA1031 // An exception escaping a timer callback would end the process; the next tick tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogTickFailed(logger, e);
        }
    }

    [LoggerMessage(EventId = EventIds.WebhookTickFailed, Level = LogLevel.Error, Message = "The webhook tick (fold windows, loss reports) failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.WebhookDrained, Level = LogLevel.Information,
        Message = "Webhook {Destination} drained its queue while stopping ({DeliveredCount} delivered)")]
    private static partial void LogDrained(ILogger logger, string destination, long deliveredCount);

    [LoggerMessage(EventId = EventIds.WebhookUndelivered, Level = LogLevel.Warning,
        Message = "Webhook {Destination}: {UndeliveredCount} messages standing for {UndeliveredTerminations} terminations could not be delivered before the drain deadline ({DrainTimeout}); {DeliveredCount} were delivered while stopping")]
    private static partial void LogUndelivered(ILogger logger, string destination, long undeliveredCount, long undeliveredTerminations, long deliveredCount, TimeSpan drainTimeout);
}
