namespace Gateway.Scripting.Execution;

/// <summary>
/// Runs chains of compiled transforms over responses: in this process (<see cref="TransformRunner"/>, for trusted
/// transforms) or in supervised transform-host processes (the gateway's default). Both answer alike: the response
/// as the chain left it, and the failures met on the way; a transform that fails is skipped, never thrown.
/// </summary>
public interface ITransformChainRunner
{
    /// <summary>Makes a newly compiled transform ready to run, off the request path (loads it, or hands it to hosts).</summary>
    /// <param name="transform">The new version.</param>
    void Prepare(CompiledTransform transform);

    /// <summary>Lets a version that a newer one replaced go; runs in flight finish on it.</summary>
    /// <param name="transform">The retired version.</param>
    void Release(CompiledTransform transform);

    /// <summary>Runs <paramref name="chain"/> over <paramref name="response"/>.</summary>
    /// <param name="chain">The transforms, in the order they run.</param>
    /// <param name="response">The response as the gateway or upstream produced it; it is not changed.</param>
    /// <param name="request">The request being answered.</param>
    /// <returns>The response to send and the failures met.</returns>
    Task<TransformChainResult> RunAsync(IReadOnlyList<CompiledTransform> chain, ExitResponse response, RequestInfo request);
}
