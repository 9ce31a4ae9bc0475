namespace Gateway.Transforms;

/// <summary>A list of transforms bound globally or to a route, and which terminations they see.</summary>
internal sealed class TransformBinding
{
    /// <summary>Transform names (file paths relative to the transforms folder, e.g. <c>arr.csx</c>), in the order they run.</summary>
    public List<string> Transforms { get; set; } = [];

    /// <summary>
    /// Who produced the terminations these transforms see: <c>Gateway</c> (the gateway's own), <c>Upstream</c>
    /// (the upstream's non-2xx responses) or <c>All</c>, the default. Parsed by <see cref="TerminationFilter"/>.
    /// </summary>
    public string? Sources { get; set; }

    /// <summary>
    /// The statuses these transforms see, e.g. <c>"429,500-599"</c> or <c>"5xx"</c>, within 300–599; the default
    /// is <c>400-599</c>, so redirects pass through. Parsed by <see cref="StatusFilter"/>.
    /// </summary>
    public string? Status { get; set; }
}
