using Gateway.Hosting;
using System.Diagnostics;
using Gateway.Webhooks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Coordination;

/// <summary>
/// The one Redis connection of the process (one <see cref="IConnectionMultiplexer"/>, connected in the background at
/// start-up and reconnecting on its own), and the one way to call it: every call has a timeout and a cancellation
/// token, is timed and counted, and a call that does not answer in time tells its caller to fall back to local state;
/// the fallbacks are counted by feature and logged at most once per interval.
/// </summary>
/// <remarks>
/// Nothing here waits for Redis to come up: while it is not connected, every call falls back at once, so a Redis that
/// is down costs a request nothing.
/// </remarks>
internal sealed partial class RedisConnection : IHostedService, IAsyncDisposable
{
    private readonly RedisOptions _options;
    private readonly RedisMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<RedisConnection> _logger;
    private readonly ThrottledCount _fallbacks;
    private volatile ConnectionMultiplexer? _multiplexer;
    private Task? _connecting;
    private int _failing;

    public RedisConnection(IOptions<RedisOptions> options, RedisMetrics metrics, TimeProvider time, ILogger<RedisConnection> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _fallbacks = new ThrottledCount(_options.WarningInterval);
    }

    /// <summary>Whether Redis answers now, as far as the client knows.</summary>
    public bool IsConnected => _multiplexer?.IsConnected == true;

    public TimeSpan OperationTimeout => _options.OperationTimeout;

    /// <summary>The key <paramref name="name"/> under the configured prefix.</summary>
    public RedisKey Key(string name) => _options.KeyPrefix + name;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _connecting = ConnectAsync();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs <paramref name="call"/> against Redis within the operation timeout. Returns false (and counts a fallback
    /// for <paramref name="feature"/>, unless null) when Redis is not connected, did not answer in time, or failed; the caller then
    /// decides from local state.
    /// </summary>
    public async ValueTask<(bool Answered, T? Value)> TryAsync<T>(
        string operation, string? feature, Func<IDatabase, Task<T>> call, CancellationToken cancellationToken)
    {
        var multiplexer = _multiplexer;
        if (multiplexer is null || !multiplexer.IsConnected)
        {
            Failed(operation, feature, "unavailable", null);
            return (false, default);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var value = await call(multiplexer.GetDatabase()).WaitAsync(_options.OperationTimeout, _time, cancellationToken);
            _metrics.Completed(operation, Stopwatch.GetElapsedTime(started));
            if (Interlocked.Exchange(ref _failing, 0) == 1)
            {
                LogRestored(_logger, _fallbacks.Total);
            }

            return (true, value);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException e)
        {
            Failed(operation, feature, "timeout", e);
        }
        catch (RedisConnectionException e)
        {
            Failed(operation, feature, "unavailable", e);
        }
#pragma warning disable CA1031 // Any failure of Redis means the same thing here: decide locally; it is counted and logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(operation, feature, "failed", e);
        }

        return (false, default);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connecting is not null)
        {
            await _connecting;
        }

        if (_multiplexer is { } multiplexer)
        {
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            await multiplexer.DisposeAsync();
        }
    }

    private async Task ConnectAsync()
    {
        var configuration = ConfigurationOptions.Parse(_options.Configuration!);

        // Keep trying in the background rather than failing start-up: the gateway works without Redis.
        configuration.AbortOnConnectFail = false;
        configuration.ClientName ??= "gateway";
        try
        {
            var endpoints = string.Join(", ", configuration.EndPoints);
            LogConnecting(_logger, endpoints);
            _multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
        }
#pragma warning disable CA1031 // A configuration the client refuses: the gateway runs on local state and says so.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogConnectFailed(_logger, e);
        }
    }

    private void Failed(string operation, string? feature, string error, Exception? exception)
    {
        _metrics.Error(operation, error);
        if (feature is null)
        {
            return;
        }

        _metrics.Fallback(feature);
        _fallbacks.Add();
        Interlocked.Exchange(ref _failing, 1);
        if (_fallbacks.TryTake(_time.GetUtcNow(), out var count))
        {
            LogFellBack(_logger, error, count, _fallbacks.Total, exception?.Message);
        }
    }

    [LoggerMessage(EventId = EventIds.RedisConnecting, Level = LogLevel.Information, Message = "Connecting to Redis at {Endpoints}; until it answers, replicas decide from local state")]
    private static partial void LogConnecting(ILogger logger, string endpoints);

    [LoggerMessage(EventId = EventIds.RedisConnectFailed, Level = LogLevel.Error, Message = "Redis could not be set up; the gateway runs on local state")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.RedisFellBack, Level = LogLevel.Warning,
        Message = "Redis did not answer ({Error}): {FallbackCount} decisions taken from local state since the last warning, {FallbackTotal} since start-up; {Reason}")]
    private static partial void LogFellBack(ILogger logger, string error, long fallbackCount, long fallbackTotal, string? reason);

    [LoggerMessage(EventId = EventIds.RedisRestored, Level = LogLevel.Information, Message = "Redis answers again; replicas share state again ({FallbackTotal} local decisions since start-up)")]
    private static partial void LogRestored(ILogger logger, long fallbackTotal);
}
