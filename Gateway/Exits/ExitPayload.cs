using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Gateway.Scripting.Execution;
using Microsoft.Net.Http.Headers;

namespace Gateway.Exits;

/// <summary>The bytes and content type an <see cref="ExitResponse"/> is written with.</summary>
internal readonly record struct ExitPayload(ReadOnlyMemory<byte> Bytes, string? ContentType)
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string TextContentType = "text/plain; charset=utf-8";

    private static readonly JsonTypeInfo<JsonNode> NodeTypeInfo = (JsonTypeInfo<JsonNode>)JsonSerializerOptions.Default.GetTypeInfo(typeof(JsonNode));

    /// <summary>Serialises the body. Throws when a transform left a body JSON cannot represent (a NaN, say).</summary>
    public static ExitPayload From(ExitResponse response)
    {
        var declared = response.Headers[HeaderNames.ContentType];
        if (response.Body is { } body)
        {
            // The serializer writes through its own pooled writer and buffer: the exact bytes are all it allocates.
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, NodeTypeInfo);

            // A transform may choose a JSON media type of its own (application/problem+json).
            var contentType = declared is not null && declared.Contains("json", StringComparison.OrdinalIgnoreCase)
                ? declared
                : JsonContentType;
            return new ExitPayload(bytes, contentType);
        }

        if (response.Text is { } text)
        {
            return new ExitPayload(Encoding.UTF8.GetBytes(text), declared ?? TextContentType);
        }

        return new ExitPayload(ReadOnlyMemory<byte>.Empty, null);
    }
}
