using System.Diagnostics;

namespace Gateway.Exits;

/// <summary>The exit path's <see cref="ActivitySource"/>: one span per transform chain, around the runner's call.</summary>
internal static class ExitTelemetry
{
    public const string SourceName = "Gateway";

    public static readonly ActivitySource Source = new(SourceName);
}
