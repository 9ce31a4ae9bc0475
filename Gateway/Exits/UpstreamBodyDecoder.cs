using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Exits;

/// <summary>
/// Turns the bytes of an upstream's error body into what the transforms see: undoes its <c>Content-Encoding</c>
/// (<c>gzip</c>, <c>br</c>, <c>deflate</c>) within the same limit, then parses JSON media types as JSON and
/// reads text media types as text, in their declared charset (UTF-8 by default).
/// </summary>
internal static class UpstreamBodyDecoder
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static UpstreamBodyView Decode(UpstreamBody body, HttpContentHeaders headers, int limit)
    {
        if (body.NotBuffered is { } why)
        {
            return UpstreamBodyView.Without(why);
        }

        if (!body.Complete)
        {
            return UpstreamBodyView.Without(UpstreamBodyOutcome.TooLarge);
        }

        if (body.Received.IsEmpty)
        {
            return UpstreamBodyView.Without(UpstreamBodyOutcome.Empty);
        }

        var decoded = body.Received;
        if (headers.ContentEncoding.Count > 0)
        {
            var outcome = TryDecode(body, headers.ContentEncoding, limit, out decoded);
            if (outcome is not null)
            {
                return UpstreamBodyView.Without(outcome.Value);
            }
        }

        return decoded.IsEmpty ? UpstreamBodyView.Without(UpstreamBodyOutcome.Empty) : Interpret(decoded.Span, headers.ContentType);
    }

    private static UpstreamBodyView Interpret(ReadOnlySpan<byte> bytes, MediaTypeHeaderValue? contentType)
    {
        var mediaType = contentType?.MediaType;
        if (mediaType is null)
        {
            // Nothing declared: JSON if it parses, text if it is valid UTF-8, else bytes.
            return TryParseJson(bytes) is { } node ? new(UpstreamBodyOutcome.Json, node, null)
                : System.Text.Unicode.Utf8.IsValid(bytes) ? new(UpstreamBodyOutcome.Text, null, Utf8Text(bytes))
                : UpstreamBodyView.Without(UpstreamBodyOutcome.Binary);
        }

        if (IsJson(mediaType))
        {
            // A body that claims JSON but is not (a proxy's HTML error page, say) is still worth reading as text.
            return TryParseJson(bytes) is { } node ? new(UpstreamBodyOutcome.Json, node, null) : new(UpstreamBodyOutcome.Text, null, Utf8Text(bytes));
        }

        return IsText(mediaType) ? new(UpstreamBodyOutcome.Text, null, DecodeText(bytes, contentType!.CharSet)) : UpstreamBodyView.Without(UpstreamBodyOutcome.Binary);
    }

    private static JsonNode? TryParseJson(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return JsonNode.Parse(WithoutBom(bytes));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string DecodeText(ReadOnlySpan<byte> bytes, string? charset)
    {
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return Encoding.GetEncoding(charset.Trim('"')).GetString(bytes);
            }
            catch (ArgumentException)
            {
                // An unknown charset: UTF-8 is the best guess.
            }
        }

        return Utf8Text(bytes);
    }

    private static string Utf8Text(ReadOnlySpan<byte> bytes) => Utf8.GetString(WithoutBom(bytes));

    private static ReadOnlySpan<byte> Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Bom) ? bytes[3..] : bytes;

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>Undoes each coding, last applied first; <see langword="null"/> on success, else why it failed.</summary>
    private static UpstreamBodyOutcome? TryDecode(UpstreamBody body, ICollection<string> codings, int limit, out ReadOnlyMemory<byte> decoded)
    {
        decoded = body.Received;
        var applied = codings.Select(c => c.Trim().ToLowerInvariant()).Where(c => c != "identity").Reverse().ToArray();
        if (applied.Length == 0)
        {
            return null;
        }

        var current = body.OpenReceived();
        try
        {
            foreach (var coding in applied)
            {
                var decompressor = Decompressor(coding, current);
                if (decompressor is null)
                {
                    return UpstreamBodyOutcome.Undecodable;
                }

                current = decompressor;
            }

            // Decoded in memory, and never past the limit: a small body that inflates hugely stops there.
            var buffer = new byte[Math.Min(limit + 1, Math.Max(4 * body.Received.Length, 4096))];
            var length = 0;
            int read;
            do
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return UpstreamBodyOutcome.TooLarge;
                    }

                    Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, limit + 1L));
                }

                read = current.Read(buffer, length, buffer.Length - length);
                length += read;
            }
            while (read > 0);

            decoded = buffer.AsMemory(0, length);
            return null;
        }
        catch (InvalidDataException)
        {
            return UpstreamBodyOutcome.Undecodable;
        }
        finally
        {
            current.Dispose();
        }
    }

    // HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2); the other codings have no decoder here.
    private static Stream? Decompressor(string coding, Stream encoded) => coding switch
    {
        "gzip" or "x-gzip" => new GZipStream(encoded, CompressionMode.Decompress),
        "br" => new BrotliStream(encoded, CompressionMode.Decompress),
        "deflate" => new ZLibStream(encoded, CompressionMode.Decompress),
        _ => null,
    };
}
