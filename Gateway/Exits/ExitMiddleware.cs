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
            context.Terminate(TerminationKind.GatewayError, StatusCodes.Status500InternalServerError, TerminationMessages.GatewayError);
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
            await responder.RespondAsync(context, failure);
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "The gateway failed while handling the request: {ErrorMessage}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string errorMessage);
}
