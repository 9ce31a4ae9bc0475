using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Gateway.Exits;

/// <summary>
/// Reads an upstream's error body for the transforms, never more than the limit: a body declared larger is
/// not read at all, an event stream is never read, and a body of unknown length is read up to one byte past
/// the limit, at which point reading stops and the prefix is kept for replay.
/// </summary>
internal static class UpstreamBodyReader
{
    private const int InitialBufferBytes = 16 * 1024;

    public static async Task<UpstreamBody> ReadAsync(HttpResponseMessage response, string method, int limit, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var headers = response.Content.Headers;
        if (HttpMethods.IsHead(method) || status is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified || headers.ContentLength == 0)
        {
            return UpstreamBody.NotRead(UpstreamBodyOutcome.Empty);
        }

        if (IsEventStream(headers.ContentType))
        {
            return UpstreamBody.NotRead(UpstreamBodyOutcome.Streaming);
        }

        if (limit == 0 || headers.ContentLength > limit)
        {
            return UpstreamBody.NotRead(UpstreamBodyOutcome.TooLarge);
        }

        // One byte past the limit tells "exactly the limit" from "over it" without reading further.
        var cap = limit + 1;
        var buffer = new byte[Math.Min(cap, (int)(headers.ContentLength ?? InitialBufferBytes - 1) + 1)];
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length == cap)
                {
                    return UpstreamBody.Prefix(buffer, length, stream);
                }

                Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, cap));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return UpstreamBody.Whole(buffer, length);
            }

            length += read;
        }
    }

    private static bool IsEventStream(MediaTypeHeaderValue? contentType) =>
        string.Equals(contentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
}
