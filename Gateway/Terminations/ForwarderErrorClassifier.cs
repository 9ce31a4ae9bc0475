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
    public static GatewayTermination? Classify(IForwarderErrorFeature error, HttpContext context)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            return null;
        }

        return error.Error switch
        {
            ForwarderError.NoAvailableDestinations =>
                GatewayTerminations.NoHealthyDestination,
            ForwarderError.RequestTimedOut =>
                GatewayTerminations.UpstreamTimeout,
            ForwarderError.RequestBodyClient when IsBodyTooLarge(error.Exception) =>
                GatewayTerminations.PayloadTooLarge,
            ForwarderError.RequestBodyClient =>
                GatewayTerminations.BadRequestBody,
            ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled =>
                null,
            ForwarderError.ResponseHeaders =>
                GatewayTerminations.UpstreamInvalidResponse,
            _ =>
                GatewayTerminations.UpstreamUnreachable,
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
