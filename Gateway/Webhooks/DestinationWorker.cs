using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Polly;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Gateway.Webhooks;

/// <summary>
/// The delivery loop of one destination: it reads the destination's queue and posts one message at a time through
/// the destination's own HTTP client and Polly pipeline, so one slow destination never holds up another. A
/// destination without a URL has its messages written to the log instead. Failures are logged once per kind, then
/// summarised at most once per interval; the URL never reaches a log.
/// </summary>
internal sealed partial class DestinationWorker
{
    private const int MaxLoggedBodyLength = 200;
    private const int MaxFailureKinds = 100;

    private readonly WebhookDestination _destination;
    private readonly IHttpClientFactory _clients;
    private readonly WebhookMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _warningInterval;
    private readonly Uri? _url;
    private readonly ConcurrentDictionary<string, ThrottledCount> _failures = new(StringComparer.Ordinal);
    private long _undelivered;
    private long _delivered;

    public DestinationWorker(
        WebhookDestination destination, IHttpClientFactory clients, WebhookMetrics metrics, TimeProvider time, TimeSpan warningInterval, ILogger logger)
    {
        _destination = destination;
        _clients = clients;
        _metrics = metrics;
        _time = time;
        _warningInterval = warningInterval;
        _logger = logger;
        _url = string.IsNullOrWhiteSpace(destination.Options.Url) ? null : new Uri(destination.Options.Url, UriKind.Absolute);
    }

    public string Name => _destination.Name;

    /// <summary>The last delivery, for the status API; null before the first.</summary>
    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>The last failure (with Slack's error code or the error, never the URL), for the status API; null before the first.</summary>
    public WebhookDeliveryFailure? LastFailure { get; private set; }

    /// <summary>Messages delivered (or logged) since start-up.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Messages given up on because the drain deadline passed.</summary>
    public long Undelivered => Interlocked.Read(ref _undelivered);

    /// <summary>
    /// Delivers until the queue is completed and empty, or until <paramref name="abort"/> (the drain deadline); then
    /// counts what is left as undelivered.
    /// </summary>
    public async Task RunAsync(CancellationToken abort)
    {
        try
        {
            await foreach (var message in _destination.Reader.ReadAllAsync(abort))
            {
                await DeliverAsync(message, abort);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // The drain deadline passed; what is still queued is counted below.
        }

        while (_destination.Reader.TryRead(out var left))
        {
            GiveUpAtShutdown(left);
        }
    }

    /// <summary>Reports repeated failures whose summary is due. Called every tick, and with <paramref name="all"/> at shutdown.</summary>
    public void ReportFailures(bool all = false)
    {
        var now = _time.GetUtcNow();
        foreach (var (reason, failures) in _failures)
        {
            var count = all ? failures.TakeAll() : failures.TryTake(now, out var due) ? due : 0;
            if (count > 0)
            {
                LogRepeatedFailures(_logger, Name, count, reason, _warningInterval);
            }
        }
    }

    private async Task DeliverAsync(WebhookMessage message, CancellationToken abort)
    {
        if (_url is null)
        {
            LogNoUrl(_logger, Name, message.PlainText);
            CountDelivered(message);
            return;
        }

        var context = ResilienceContextPool.Shared.Get(abort);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = Render(message) };
            request.SetResilienceContext(context);
            using var response = await _clients.CreateClient(WebhookHttpClients.NameOf(Name)).SendAsync(request, abort);
            if (response.IsSuccessStatusCode)
            {
                CountDelivered(message);
                return;
            }

            var body = OneLine(await response.Content.ReadAsStringAsync(abort));
            var status = (int)response.StatusCode;
            if (IsRetried(response.StatusCode))
            {
                Failed(message, $"HTTP {status} {body}".TrimEnd(), WebhookAttempts.Of(context));
            }
            else
            {
                Rejected(message, status, body);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            GiveUpAtShutdown(message);
            throw;
        }
        catch (TimeoutRejectedException)
        {
            Failed(message, FormattableString.Invariant($"no answer within {_destination.Options.Timeout}"), WebhookAttempts.Of(context));
        }
        catch (HttpRequestException e)
        {
            Failed(message, $"{e.HttpRequestError}: {WebhookUrlRedactor.Redact(e.InnerException?.Message ?? e.Message, _url)}", WebhookAttempts.Of(context));
        }
        catch (RateLimiterRejectedException)
        {
            Failed(message, "the rate limiter refused the attempt", WebhookAttempts.Of(context));
        }
#pragma warning disable CA1031 // The loop must survive anything one delivery throws; the message is counted and logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(message, $"{e.GetType().Name}: {WebhookUrlRedactor.Redact(e.Message, _url)}", WebhookAttempts.Of(context));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private StringContent Render(WebhookMessage message)
    {
        var payload = _destination.Options.Kind == WebhookKind.Json ? JsonWebhookPayload.For(message) : SlackPayload.For(message);
        return new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json");
    }

    // The same predicate as the retry strategy's: these were retried, and have now run out of retries.
    private static bool IsRetried(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static string OneLine(string body)
    {
        var line = body.ReplaceLineEndings(" ").Trim();
        return line.Length > MaxLoggedBodyLength ? line[..MaxLoggedBodyLength] + "…" : line;
    }

    private void CountDelivered(WebhookMessage message)
    {
        Interlocked.Increment(ref _delivered);
        LastSuccess = _time.GetUtcNow();
        _metrics.Sent(Name, message.Kind, _time.GetUtcNow() - message.QueuedAt);
    }

    private void Rejected(WebhookMessage message, int status, string body)
    {
        _metrics.Failed(Name, message.Kind);
        var reason = $"HTTP {status} {body}".TrimEnd();
        LastFailure = new WebhookDeliveryFailure(_time.GetUtcNow(), status, body, reason);
        if (Count(reason))
        {
            LogRejected(_logger, Name, status, body);
        }
    }

    private void Failed(WebhookMessage message, string reason, int attempts)
    {
        _metrics.Failed(Name, message.Kind);
        LastFailure = new WebhookDeliveryFailure(_time.GetUtcNow(), null, null, reason);
        if (Count(reason))
        {
            LogGaveUp(_logger, Name, attempts, reason);
        }
    }

    /// <summary>Counts a failure of this kind; true for the first, which is logged in full at once.</summary>
    private bool Count(string reason)
    {
        if (_failures.TryGetValue(reason, out var failures))
        {
            failures.Add();
            return false;
        }

        // Past this many kinds of failure, further new kinds are counted by the metrics only.
        if (_failures.Count < MaxFailureKinds)
        {
            failures = new ThrottledCount(_warningInterval);
            failures.Defer(_time.GetUtcNow());
            _failures[reason] = failures;
        }

        return true;
    }

    private void GiveUpAtShutdown(WebhookMessage message)
    {
        Interlocked.Increment(ref _undelivered);
        _metrics.Dropped(Name, message.Kind, WebhookDropReasons.Shutdown);
    }
}
