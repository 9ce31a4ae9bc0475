namespace Gateway.Transforms;

/// <summary>A list of transforms bound globally or to a route.</summary>
internal sealed class TransformBinding
{
    /// <summary>Transform names (file paths relative to the transforms folder, e.g. <c>arr.csx</c>), in the order they run.</summary>
    public List<string> Transforms { get; set; } = [];
}
