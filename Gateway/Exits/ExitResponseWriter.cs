using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Exits;

/// <summary>Writes a final exit response once: status, headers, then the body with its exact length.</summary>
internal static class ExitResponseWriter
{
    public static async Task WriteAsync(HttpContext context, ExitResponse exit, ExitPayload payload)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = exit.Status;
        foreach (var (name, value) in exit.Headers)
        {
            // Content-Type is decided by the payload; the framing headers by this writer.
            if (!ResponseHeaders.IsGatewayOwned(name) && !name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Append(name, value);
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

        response.ContentLength = payload.Bytes.Length;
        if (payload.Bytes.Length > 0 && !HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(payload.Bytes, context.RequestAborted);
        }
    }

    // 1xx, 204 and 304 carry neither a body nor (for 204 and 1xx) a Content-Length.
    private static bool MayHaveBody(int status) =>
        status >= 200 && status != StatusCodes.Status204NoContent && status != StatusCodes.Status304NotModified;
}
