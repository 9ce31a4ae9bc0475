using Microsoft.Extensions.Logging;

namespace Gateway.Scripting.Execution;

/// <summary>The <c>Log</c> a script gets: every entry carries a <c>Transform</c> property with the script's name.</summary>
internal sealed class TransformLogger(ILogger inner, string transform) : ILogger
{
    private readonly KeyValuePair<string, object?>[] _scope = [new("Transform", transform)];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        using (inner.BeginScope(_scope))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
