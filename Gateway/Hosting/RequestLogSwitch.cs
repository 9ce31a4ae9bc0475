using Serilog.Core;
using Serilog.Events;

namespace Gateway.Hosting;

/// <summary>
/// Whether the request log (Serilog's one line per request) can write anything: its logger, the gateway's Serilog
/// logger for the source context <see cref="SourceContext"/>, writes Information for a response under 500 and Error
/// for a 5xx or an unhandled exception, so it is on while that source writes Error. Read per request from the
/// logger's level switch, so that it follows a level changed in configuration while the gateway runs; reading it
/// allocates nothing.
/// </summary>
/// <remarks>
/// When it is off (that source set above Error, for example <c>Fatal</c>), requests skip Serilog's middleware
/// altogether: its per-request collector and async-local would otherwise be allocated on every request for a line
/// that is then dropped. At <c>Warning</c> it stays on, because a 5xx's Error line must still be written; the
/// request cannot know its status before it runs.
/// </remarks>
internal sealed class RequestLogSwitch(Serilog.ILogger logger)
{
    /// <summary>The source context of Serilog's request-logging middleware, whose level decides.</summary>
    public const string SourceContext = "Serilog.AspNetCore.RequestLoggingMiddleware";

    private readonly Serilog.ILogger _logger = logger.ForContext(Constants.SourceContextPropertyName, SourceContext);

    /// <summary>Whether requests go through Serilog's request logging now: its highest level, Error, is written.</summary>
    public bool IsOn => _logger.IsEnabled(LogEventLevel.Error);
}
