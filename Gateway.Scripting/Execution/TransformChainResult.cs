namespace Gateway.Scripting.Execution;

/// <summary>The response after a chain of transforms, and the failures met on the way.</summary>
/// <param name="Response">The response to send.</param>
/// <param name="Failures">The transforms that threw, each skipped with the response left as it was before it.</param>
public sealed record TransformChainResult(ExitResponse Response, IReadOnlyList<TransformFailure> Failures);
