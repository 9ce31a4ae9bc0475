using System.Text.Json.Serialization;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Sandbox;
using Microsoft.Extensions.Logging;

namespace Gateway.Scripting.Isolation;

// The messages between the gateway and a transform host: plain data, no script type, serialised with
// System.Text.Json's source generator (HostFrameJson). A frame's kind travels in its header (HostFrameKind).

/// <summary>Gateway → host: a compiled transform to load, under <paramref name="Key"/>.</summary>
public sealed record LoadFrame(string Key, string Name, string FilePath, string SourceHash, byte[] Assembly, byte[] Symbols, string EntryType, string EntryMethod);

/// <summary>Gateway → host: a version to unload once its runs in flight are done.</summary>
public sealed record UnloadFrame(string Key);

/// <summary>Gateway → host: run the chain of loaded transforms <paramref name="Keys"/> over a response.</summary>
/// <param name="Id">The call's id, echoed by the reply.</param>
/// <param name="Slot">The progress slot the host writes each transform's index into before it starts.</param>
/// <param name="Keys">The transforms, in order.</param>
/// <param name="Budget">The budget of each transform's run.</param>
/// <param name="Response">The response before the chain.</param>
/// <param name="Request">The request view.</param>
public sealed record RunFrame(long Id, int Slot, string[] Keys, BudgetFrame Budget, ResponseFrame Response, RequestFrame Request);

/// <summary>The budget of each run of a transform.</summary>
public sealed record BudgetFrame(long WallTimeTicks, long GraceTicks, long MaxAllocatedBytes, int MaxCallDepth);

/// <summary>A response: the body as a JSON value of the frame or as text, and the headers as (name, value) pairs.</summary>
public sealed record ResponseFrame(int Status, JsonBody? Json, string? Text, string[][] Headers);

/// <summary>The request view, redacted as scripts see it.</summary>
public sealed record RequestFrame(
    string Method, string Host, string Path, string Query, string[][] Headers, string? ClientIp, string? RouteId,
    string TraceId, TerminationKind Termination, string? Destination, int? UpstreamStatus, long? UpstreamLatencyTicks);

/// <summary>Host → gateway: what the chain left, and everything the scripts did that the gateway must act on.</summary>
public sealed record ReplyFrame(long Id, ResponseFrame Response, FailureFrame[] Failures, WebhookFrame[] Webhooks, LogFrame[] Logs);

/// <summary>A transform of the chain that failed: its index in the chain, and how.</summary>
public sealed record FailureFrame(int Index, int Line, TransformFailureKind Kind, string ErrorType, string Message, BudgetBreach? Breach);

/// <summary>A <c>Webhooks.Send</c> call, copied into strings during the run.</summary>
public sealed record WebhookFrame(string? Destination, string? Text, AlertFrame? Alert);

/// <summary>A structured alert, copied into strings during the run.</summary>
public sealed record AlertFrame(string Title, string? Text, AlertSeverity Severity, string[][]? Fields, string? FoldKey);

/// <summary>A <c>Log</c> entry of a transform (<paramref name="Index"/> in the chain), formatted during the run.</summary>
public sealed record LogFrame(int Index, LogLevel Level, int EventId, string? EventName, string Message, string? Error);

/// <summary>Host → gateway: a breach held against a transform after its call was answered (a run that overran).</summary>
public sealed record BreachFrame(string Key);

/// <summary>The kind of a frame, in its header.</summary>
public enum HostFrameKind : byte
{
    /// <summary>A <see cref="LoadFrame"/>.</summary>
    Load = 1,

    /// <summary>An <see cref="UnloadFrame"/>.</summary>
    Unload = 2,

    /// <summary>A <see cref="RunFrame"/>.</summary>
    Run = 3,

    /// <summary>A <see cref="ReplyFrame"/>.</summary>
    Reply = 4,

    /// <summary>A <see cref="BreachFrame"/>.</summary>
    Breach = 5,

    /// <summary>A <see cref="CompileFrame"/> (to the compiler process).</summary>
    Compile = 6,

    /// <summary>A <see cref="CompiledFrame"/> (from the compiler process).</summary>
    Compiled = 7,
}

/// <summary>The source-generated serialisers of the frames.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LoadFrame))]
[JsonSerializable(typeof(UnloadFrame))]
[JsonSerializable(typeof(RunFrame))]
[JsonSerializable(typeof(ReplyFrame))]
[JsonSerializable(typeof(BreachFrame))]
public sealed partial class HostFrameJson : JsonSerializerContext;
