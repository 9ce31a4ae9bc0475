using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Scripting.Execution;
using Microsoft.Net.Http.Headers;

namespace Gateway.Exits;

/// <summary>The bytes and content type an <see cref="ExitResponse"/> is written with.</summary>
internal readonly record struct ExitPayload(ReadOnlyMemory<byte> Bytes, string? ContentType)
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string TextContentType = "text/plain; charset=utf-8";

    /// <summary>Serialises the body. Throws when a transform left a body JSON cannot represent (a NaN, say).</summary>
    public static ExitPayload From(ExitResponse response)
    {
        var declared = response.Headers[HeaderNames.ContentType];
        if (response.Body is { } body)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                body.WriteTo(writer);
            }

            // A transform may choose a JSON media type of its own (application/problem+json).
            var contentType = declared is not null && declared.Contains("json", StringComparison.OrdinalIgnoreCase)
                ? declared
                : JsonContentType;
            return new ExitPayload(buffer.WrittenMemory, contentType);
        }

        if (response.Text is { } text)
        {
            return new ExitPayload(Encoding.UTF8.GetBytes(text), declared ?? TextContentType);
        }

        return new ExitPayload(ReadOnlyMemory<byte>.Empty, null);
    }
}
