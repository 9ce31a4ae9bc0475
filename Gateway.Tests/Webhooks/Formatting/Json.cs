using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gateway.Tests.Webhooks.Formatting;

/// <summary>JSON written as it is sent, without escaping non-ASCII text, so expectations read naturally.</summary>
internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
