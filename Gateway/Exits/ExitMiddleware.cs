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
    // One async method per request: the 2xx path, where nothing is left to answer, pays for a single state machine.
    public async Task InvokeAsync(HttpContext context)
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

        if (!context.Response.HasStarted)
        {
            await AnswerAsync(context);
        }

        if (!context.RequestAborted.IsCancellationRequested || context.Response.HasStarted)
        {
            observer.RequestCompleted(context);
        }
    }

    // Nothing written yet: a termination, an upstream's rewritten error, or a forwarder failure to answer.
    private Task AnswerAsync(HttpContext context)
    {
        if (context.Features.Get<TerminationFeature>()?.Termination is { } termination)
        {
            return responder.RespondAsync(context, termination);
        }

        if (context.Features.Get<UpstreamExitFeature>() is { } upstream)
        {
            return ExitResponseWriter.WriteAsync(context, upstream.Response, upstream.Payload, lengthKnownForHead: false);
        }

        if (context.Features.Get<IForwarderErrorFeature>() is { } error && ForwarderErrorClassifier.Classify(error, context) is { } failure)
        {
            // One line at Warning (YARP's own warning, with its stack trace, is held back in AddGateway); the exception at Debug.
            var route = ExitObserver.RouteOf(context);
            var reason = error.Exception?.InnerException?.Message ?? error.Exception?.Message ?? error.Error.ToString();
            LogForwarderFailed(logger, context.Request.Method, context.Request.Path, route, error.Error, failure.Status, reason);
            LogForwarderException(logger, error.Exception, error.Error);
            return responder.RespondAsync(context, failure);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = EventIds.ForwarderFailed, Level = LogLevel.Warning,
        Message = "Forwarding {Method} {Path} on route {RouteId} failed ({ForwarderError}), answered {Status}: {ErrorMessage}")]
    private static partial void LogForwarderFailed(ILogger logger, string method, string path, string routeId, ForwarderError forwarderError, int status, string errorMessage);

    [LoggerMessage(EventId = EventIds.ForwarderException, Level = LogLevel.Debug, Message = "The forwarder's {ForwarderError} in full")]
    private static partial void LogForwarderException(ILogger logger, Exception? exception, ForwarderError forwarderError);

    [LoggerMessage(EventId = EventIds.UnhandledException, Level = LogLevel.Error, Message = "The gateway failed while handling the request: {ErrorMessage}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string errorMessage);
}
