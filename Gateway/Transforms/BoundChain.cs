using Gateway.Scripting;

namespace Gateway.Transforms;

/// <summary>The compiled transforms of one binding (global or a route's), with the filter that says when they run.</summary>
internal sealed class BoundChain(CompiledTransform[] transforms, TerminationFilter filter)
{
    public static BoundChain None { get; } = new([], TerminationFilter.Default);

    public CompiledTransform[] Transforms { get; } = transforms;

    public TerminationFilter Filter { get; } = filter;

    public bool Applies(int status, TerminationSources source) => Transforms.Length > 0 && Filter.Matches(status, source);
}
