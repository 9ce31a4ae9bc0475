using Gateway.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Transforms;

/// <summary>
/// The <c>Gateway:Transforms</c> settings in effect: the gateway's <see cref="IOptionsMonitor{TOptions}"/> of
/// <see cref="TransformOptions"/>, so that every reader (the reloader, the upstream responder, the transform-host
/// pool, the status API) sees the same rules. On a configuration change it binds and validates the section again:
/// <list type="bullet">
/// <item>a section that does not validate is refused, logged once with every problem naming its key, and the last
/// good settings keep serving (the framework's monitor would throw from every read instead);</item>
/// <item>a key that only takes effect at start-up (<see cref="TransformRestartKeys"/>) keeps the value it started
/// with, and its change is logged once as a warning that names it and says it needs a restart;</item>
/// <item>the rest (the bindings, <c>MaxUpstreamBodyBytes</c>, <c>Reload:Debounce</c>, the budget in transform hosts,
/// the hosts' timings) is live: listeners get the new settings, readers read them.</item>
/// </list>
/// </summary>
internal sealed partial class TransformSettings : IOptionsMonitor<TransformOptions>, IDisposable
{
    private readonly IOptionsFactory<TransformOptions> _factory;
    private readonly ILogger<TransformSettings> _logger;
    private readonly IDisposable[] _registrations;
    private readonly Lock _gate = new();
    private volatile TransformOptions? _current;
    private volatile Action<TransformOptions, string?>[] _listeners = [];
    private string? _lastRefused;
    private IReadOnlyDictionary<string, string>? _configured;

    public TransformSettings(
        IOptionsFactory<TransformOptions> factory,
        IEnumerable<IOptionsChangeTokenSource<TransformOptions>> sources,
        ILogger<TransformSettings> logger)
    {
        _factory = factory;
        _logger = logger;
        _registrations = [.. sources
            .Where(source => (source.Name ?? Options.DefaultName) == Options.DefaultName)
            .Select(source => ChangeToken.OnChange(source.GetChangeToken, Changed))];
    }

    /// <summary>The settings in effect. The first read validates them (start-up fails there when they are invalid).</summary>
    public TransformOptions CurrentValue => Get(Options.DefaultName);

    /// <inheritdoc/>
    public TransformOptions Get(string? name)
    {
        if ((name ?? Options.DefaultName) != Options.DefaultName)
        {
            // The gateway has no named transform settings; should anything ask, it gets them fresh.
            return _factory.Create(name!);
        }

        if (_current is { } current)
        {
            return current;
        }

        lock (_gate)
        {
            if (_current is null)
            {
                var first = _factory.Create(Options.DefaultName);
                _configured = TransformRestartKeys.Values(first);
                _current = first;
            }

            return _current;
        }
    }

    /// <inheritdoc/>
    public IDisposable OnChange(Action<TransformOptions, string?> listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
        }

        return new Subscription(this, listener);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void Changed()
    {
        TransformOptions next;
        lock (_gate)
        {
            try
            {
                next = _factory.Create(Options.DefaultName);
            }
            catch (OptionsValidationException e)
            {
                // One configuration save often raises two reloads: say it once.
                var problems = string.Join(" ", e.Failures);
                if (problems != _lastRefused)
                {
                    _lastRefused = problems;
                    LogRefused(_logger, problems);
                }

                return;
            }

            _lastRefused = null;
            var configured = TransformRestartKeys.Values(next);
            if (_current is { } previous && _configured is { } before)
            {
                foreach (var key in TransformRestartKeys.KeepStarted(previous, before, next))
                {
                    LogNeedsRestart(_logger, $"{TransformOptions.Section}:{key}");
                }
            }

            _configured = configured;

            _current = next;
        }

        foreach (var listener in _listeners)
        {
            listener(next, Options.DefaultName);
        }
    }

    private void Unsubscribe(Action<TransformOptions, string?> listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => l != listener)];
        }
    }

    [LoggerMessage(EventId = EventIds.TransformSettingsRefused, Level = LogLevel.Error,
        Message = "The changed Gateway:Transforms settings are refused, the last good ones keep serving: {Problems}")]
    private static partial void LogRefused(ILogger logger, string problems);

    [LoggerMessage(EventId = EventIds.TransformSettingNeedsRestart, Level = LogLevel.Warning,
        Message = "{SettingKey} changed, but it is read at start-up: the gateway keeps its start-up value until it restarts")]
    private static partial void LogNeedsRestart(ILogger logger, string settingKey);

    private sealed class Subscription(TransformSettings settings, Action<TransformOptions, string?> listener) : IDisposable
    {
        public void Dispose() => settings.Unsubscribe(listener);
    }
}
