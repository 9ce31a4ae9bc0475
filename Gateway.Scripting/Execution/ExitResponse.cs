using System.Text.Json.Nodes;

namespace Gateway.Scripting.Execution;

/// <summary>
/// A response as it stands between two transforms: what the first one saw, or what the last one left.
/// The runner hands each transform copies (of the headers, copied on the transform's first change), so a transform
/// that fails leaves this untouched.
/// </summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The body as JSON, or <see langword="null"/>.</param>
/// <param name="Text">The body as text when it is not JSON, or <see langword="null"/>.</param>
/// <param name="Headers">The headers; treat as read-only once the response is handed on.</param>
public sealed record ExitResponse(int Status, JsonNode? Body, string? Text, ResponseHeaders Headers);
