using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace Gateway.Scripting.Editing;

/// <summary>
/// For editors only: the globals of a transform (<see cref="ExitContext"/>) as static members, so that an editor
/// that knows nothing of the gateway's globals type (VS Code's OmniSharp) can offer them through a
/// <c>using static</c> of this class. Transforms/omnisharp.json wires it up. The gateway never imports it, and its
/// sandbox refuses it by name: in a transform the names bind to the real globals. Every member throws.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TransformGlobals
{
    private const string EditorOnly = "TransformGlobals is for editors only: in a transform, the globals are ExitContext's.";

    /// <inheritdoc cref="ExitContext.Status"/>
    public static int Status { get => throw new NotSupportedException(EditorOnly); set => throw new NotSupportedException(EditorOnly); }

    /// <inheritdoc cref="ExitContext.Body"/>
    public static JsonNode? Body { get => throw new NotSupportedException(EditorOnly); set => throw new NotSupportedException(EditorOnly); }

    /// <inheritdoc cref="ExitContext.Text"/>
    public static string? Text { get => throw new NotSupportedException(EditorOnly); set => throw new NotSupportedException(EditorOnly); }

    /// <inheritdoc cref="ExitContext.Headers"/>
    public static ResponseHeaders Headers => throw new NotSupportedException(EditorOnly);

    /// <inheritdoc cref="ExitContext.Request"/>
    public static RequestInfo Request => throw new NotSupportedException(EditorOnly);

    /// <inheritdoc cref="ExitContext.Webhooks"/>
    public static IWebhookSender Webhooks => throw new NotSupportedException(EditorOnly);

    /// <inheritdoc cref="ExitContext.Log"/>
    public static ILogger Log => throw new NotSupportedException(EditorOnly);
}
