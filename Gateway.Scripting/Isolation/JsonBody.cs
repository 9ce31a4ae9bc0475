using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gateway.Scripting.Isolation;

/// <summary>
/// A response's JSON body inside a frame, written as a JSON value of the frame (not as a string of JSON text), so
/// that neither side escapes, unescapes or parses it twice: the reading side gets a <see cref="JsonNode"/> straight
/// from the frame's reader. The writing side holds either a node it made itself (the gateway's response before the
/// chain) or bytes already serialised (a host's reply: the body a script made is serialised inside the host, before
/// the reply is queued, so that an unwritable one is caught there and no script code runs while frames are written).
/// </summary>
[JsonConverter(typeof(JsonBodyConverter))]
public sealed class JsonBody
{
    private readonly JsonNode? _node;
    private readonly byte[]? _utf8;

    /// <summary>A body to be written from <paramref name="node"/> (data the writing side made, not a script).</summary>
    /// <param name="node">The body.</param>
    public JsonBody(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _node = node;
    }

    private JsonBody(byte[] utf8) => _utf8 = utf8;

    /// <summary>The body as a node: the one read from a frame, or the one it was made from.</summary>
    public JsonNode? Node => _node ?? (_utf8 is null ? null : JsonNode.Parse(_utf8));

    /// <summary>
    /// Serialises <paramref name="node"/> now, on the calling thread: whatever a script put in it runs here, and an
    /// unwritable body (a NaN, say) throws here.
    /// </summary>
    /// <param name="node">The body.</param>
    public static JsonBody Serialized(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return new JsonBody(buffer.WrittenSpan.ToArray());
    }

    /// <summary>Writes the body as a JSON value.</summary>
    /// <param name="writer">The frame's writer.</param>
    internal void WriteTo(Utf8JsonWriter writer)
    {
        if (_utf8 is not null)
        {
            // Bytes this process's own writer produced: valid JSON, not checked again.
            writer.WriteRawValue(_utf8, skipInputValidation: true);
        }
        else
        {
            _node!.WriteTo(writer);
        }
    }

    /// <summary>Reads a body as a node, from the frame's own reader.</summary>
    internal sealed class JsonBodyConverter : JsonConverter<JsonBody>
    {
        public override JsonBody? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonNode.Parse(ref reader) is { } node ? new JsonBody(node) : null;

        public override void Write(Utf8JsonWriter writer, JsonBody value, JsonSerializerOptions options) => value.WriteTo(writer);
    }
}
