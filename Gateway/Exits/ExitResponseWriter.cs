using Gateway.Scripting.Execution;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Gateway.Exits;

/// <summary>Writes a final exit response once: status, headers, then the body with its exact length.</summary>
internal static class ExitResponseWriter
{
    /// <param name="context">The request being answered.</param>
    /// <param name="exit">The response the transforms left.</param>
    /// <param name="payload">Its body, serialised.</param>
    /// <param name="lengthKnownForHead">
    /// Whether, for a <c>HEAD</c>, the payload's length is what a <c>GET</c> would get; when it is not, no
    /// <c>Content-Length</c> is sent (RFC 9110 §8.6 forbids a wrong one).
    /// </param>
    public static async Task WriteAsync(HttpContext context, ExitResponse exit, ExitPayload payload, bool lengthKnownForHead = true)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = exit.Status;
        var headers = exit.Headers.GetNamesAndValues();
        while (headers.MoveNext())
        {
            // Content-Type is decided by the payload; the framing headers and Content-Encoding (the payload is
            // always written as is, in identity) by this writer.
            var (name, values) = headers.Current;
            if (ExitHeaders.IsTransformable(name) && !name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Append(name, values.Count == 1 ? new StringValues(values[0]) : new StringValues([.. values]));
            }
        }

        if (!MayHaveBody(exit.Status))
        {
            return;
        }

        if (payload.ContentType is not null)
        {
            response.ContentType = payload.ContentType;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            if (lengthKnownForHead)
            {
                response.ContentLength = payload.Bytes.Length;
            }

            return;
        }

        response.ContentLength = payload.Bytes.Length;
        if (payload.Bytes.Length > 0)
        {
            try
            {
                await response.Body.WriteAsync(payload.Bytes, context.RequestAborted);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away while its answer was being written: there is no one left to answer.
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="status"/> may end a response: 200–599. A 1xx is interim: written as the final
    /// response it leaves the client waiting for the one that should follow. Transforms cannot set one; this
    /// guards whatever else builds an <see cref="ExitResponse"/>.
    /// </summary>
    public static bool IsFinalStatus(int status) => status is >= 200 and <= 599;

    /// <summary>Whether a response with <paramref name="status"/> may carry a body: 1xx, 204 and 304 carry none.</summary>
    public static bool MayHaveBody(int status) =>
        status >= 200 && status != StatusCodes.Status204NoContent && status != StatusCodes.Status304NotModified;
}
