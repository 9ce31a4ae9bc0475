using Serilog.Events;

namespace Gateway.Tests.Infrastructure;

/// <summary>Reads what Microsoft.Extensions.Logging puts into a Serilog event.</summary>
internal static class WebhookLogEvents
{
    /// <summary>The event id of a <c>LoggerMessage</c>, or -1.</summary>
    public static int EventId(this LogEvent e) =>
        e.Properties.TryGetValue("EventId", out var id) && id is StructureValue s &&
        s.Properties.FirstOrDefault(p => p.Name == "Id")?.Value is ScalarValue { Value: int value } ? value : -1;

    /// <summary>A property's scalar value as text, without the quotes Serilog adds to strings.</summary>
    public static string? Scalar(this LogEvent e, string name) =>
        e.Properties.TryGetValue(name, out var value) && value is ScalarValue scalar ? scalar.Value?.ToString() : null;
}
