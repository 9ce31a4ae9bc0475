using Gateway.Scripting;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Terminations;

/// <summary>
/// Turns the reason YARP's forwarder gives for a failure (<see cref="IForwarderErrorFeature"/>) into a
/// termination. The reason is read, never guessed from the status code.
/// </summary>
internal static class ForwarderErrorClassifier
{
    /// <summary>The termination for <paramref name="error"/>, or <see langword="null"/> when the client is gone and nobody is listening.</summary>
    public static Termination? Classify(IForwarderErrorFeature error, HttpContext context)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }

        return error.Error switch
        {
            ForwarderError.NoAvailableDestinations =>
                new(TerminationKind.NoHealthyDestination, StatusCodes.Status503ServiceUnavailable, TerminationMessages.NoHealthyDestination),
            ForwarderError.RequestTimedOut =>
                new(TerminationKind.UpstreamTimeout, StatusCodes.Status504GatewayTimeout, TerminationMessages.UpstreamTimeout),
            ForwarderError.RequestBodyClient when IsBodyTooLarge(error.Exception) =>
                new(TerminationKind.PayloadTooLarge, StatusCodes.Status413PayloadTooLarge, TerminationMessages.PayloadTooLarge),
            ForwarderError.RequestBodyClient =>
                new(TerminationKind.BadRequest, StatusCodes.Status400BadRequest, TerminationMessages.BadRequestBody),
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled =>
                null,
            ForwarderError.ResponseHeaders =>
                new(TerminationKind.UpstreamUnreachable, StatusCodes.Status502BadGateway, TerminationMessages.UpstreamInvalidResponse),
            _ =>
                new(TerminationKind.UpstreamUnreachable, StatusCodes.Status502BadGateway, TerminationMessages.UpstreamUnreachable),
        };
    }

    private static bool IsBodyTooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }
}
