using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>An in-memory logger provider, so tests assert on structured entries rather than on text.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static Dictionary<string, object?> PropertiesOf(object? state)
    {
        var properties = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                properties[key] = value;
            }
        }

        return properties;
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopeProperties = new Dictionary<string, object?>(StringComparer.Ordinal);
            provider._scopes.ForEachScope(
                (scope, properties) =>
                {
                    foreach (var (key, value) in PropertiesOf(scope))
                    {
                        properties[key] = value;
                    }
                },
                scopeProperties);

            provider._entries.Enqueue(new CapturedLog(
                category, logLevel, eventId, formatter(state, exception), PropertiesOf(state), scopeProperties, exception));
        }
    }
}
