using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Gateway.Tests.Infrastructure;

/// <summary>Keeps every Serilog event, so tests assert on structured properties rather than text.</summary>
internal sealed class CollectingSink : ILogEventSink
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();

    public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);

    public IEnumerable<LogEvent> WithProperty(string name, string value) =>
        Events.Where(e => e.Properties.TryGetValue(name, out var p) && p is ScalarValue { Value: var v } && Equals(v?.ToString(), value));

    /// <summary>Waits for Serilog's request-log event (the one line per request) of the request to <paramref name="path"/>.</summary>
    public Task<LogEvent> RequestLogAsync(string path) => WaitForAsync(e =>
        e.Properties.TryGetValue("SourceContext", out var source) && source.ToString() == "\"Serilog.AspNetCore.RequestLoggingMiddleware\"" &&
        e.Properties.TryGetValue("RequestPath", out var requestPath) && requestPath.ToString() == $"\"{path}\"");

    /// <summary>Waits until an event matching <paramref name="predicate"/> arrives.</summary>
    public async Task<LogEvent> WaitForAsync(Func<LogEvent, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            var match = Events.FirstOrDefault(predicate);
            if (match is not null)
            {
                return match;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("No log event matched.");
    }
}
