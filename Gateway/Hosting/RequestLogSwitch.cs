using Serilog.Core;
using Serilog.Events;

namespace Gateway.Hosting;

/// <summary>
/// Whether the request log (Serilog's one line per request) is on: its logger, the gateway's Serilog logger for
/// the source context <see cref="SourceContext"/>, writes Information, the level of every response under 500.
/// Read per request from the logger's level switch, so that it follows a level changed in configuration while the
/// gateway runs; reading it allocates nothing.
/// </summary>
/// <remarks>
/// When it is off (the level of that source above Information), requests skip Serilog's middleware altogether:
/// its per-request collector and async-local would otherwise be allocated on every request for a line that is then
/// dropped. That includes the line it would write at Error for a 5xx; the gateway's own failures still log theirs
/// (the forwarder's failures, unhandled exceptions, failing transforms), and every response is counted in the
/// <c>gateway.requests</c> metric.
/// </remarks>
internal sealed class RequestLogSwitch(Serilog.ILogger logger)
{
    /// <summary>The source context of Serilog's request-logging middleware, whose level decides.</summary>
    public const string SourceContext = "Serilog.AspNetCore.RequestLoggingMiddleware";

    private readonly Serilog.ILogger _logger = logger.ForContext(Constants.SourceContextPropertyName, SourceContext);

    /// <summary>Whether requests go through Serilog's request logging now.</summary>
    public bool IsOn => _logger.IsEnabled(LogEventLevel.Information);
}
