using Gateway.Hosting;
using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Exits;

/// <summary>
/// Wraps the whole pipeline. When it unwinds with a termination recorded (by authentication, rate limiting,
/// routing or the forwarder) and nothing written yet, hands it to the <see cref="TerminationResponder"/>; when
/// it unwinds with an upstream's error response that the transforms rewrote (<see cref="UpstreamExitFeature"/>),
/// writes that. Responses already under way — every other proxied response — pass untouched and unbuffered.
/// </summary>
internal sealed partial class ExitMiddleware(RequestDelegate next, TerminationResponder responder, ExitObserver observer, ILogger<ExitMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await AnswerAsync(context);
        if (!context.RequestAborted.IsCancellationRequested || context.Response.HasStarted)
        {
            observer.RequestCompleted(context);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(logger, e, e.Message);
            context.Terminate(GatewayTerminations.GatewayError);
        }

        if (context.Response.HasStarted)
        {
            return;
        }

        if (context.Features.Get<TerminationFeature>()?.Termination is { } termination)
        {
            await responder.RespondAsync(context, termination);
        }
        else if (context.Features.Get<UpstreamExitFeature>() is { } upstream)
        {
            await ExitResponseWriter.WriteAsync(context, upstream.Response, upstream.Payload, lengthKnownForHead: false);
        }
        else if (context.Features.Get<IForwarderErrorFeature>() is { } error && ForwarderErrorClassifier.Classify(error, context) is { } failure)
        {
            // One line at Warning (YARP's own warning, with its stack trace, is held back in AddGateway); the exception at Debug.
            var route = ExitObserver.RouteOf(context);
            var reason = error.Exception?.InnerException?.Message ?? error.Exception?.Message ?? error.Error.ToString();
            LogForwarderFailed(logger, context.Request.Method, context.Request.Path, route, error.Error, failure.Status, reason);
            LogForwarderException(logger, error.Exception, error.Error);
            await responder.RespondAsync(context, failure);
        }
    }

    [LoggerMessage(EventId = EventIds.ForwarderFailed, Level = LogLevel.Warning,
        Message = "Forwarding {Method} {Path} on route {RouteId} failed ({ForwarderError}), answered {Status}: {ErrorMessage}")]
    private static partial void LogForwarderFailed(ILogger logger, string method, string path, string routeId, ForwarderError forwarderError, int status, string errorMessage);

    [LoggerMessage(EventId = EventIds.ForwarderException, Level = LogLevel.Debug, Message = "The forwarder's {ForwarderError} in full")]
    private static partial void LogForwarderException(ILogger logger, Exception? exception, ForwarderError forwarderError);

    [LoggerMessage(EventId = EventIds.UnhandledException, Level = LogLevel.Error, Message = "The gateway failed while handling the request: {ErrorMessage}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string errorMessage);
}
