using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>One log entry as a provider received it: its structured state and the properties of the scopes around it.</summary>
internal sealed record CapturedLog(
    string Category,
    LogLevel Level,
    EventId EventId,
    string Message,
    IReadOnlyDictionary<string, object?> State,
    IReadOnlyDictionary<string, object?> ScopeProperties,
    Exception? Exception);
