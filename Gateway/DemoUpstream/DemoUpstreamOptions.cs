namespace Gateway.DemoUpstream;

/// <summary>The <c>Gateway:DemoUpstream</c> section: a small upstream the bundled configuration proxies to.</summary>
internal sealed class DemoUpstreamOptions
{
    public const string Section = "Gateway:DemoUpstream";

    /// <summary>Whether to run it. Off unless configured: it exists for the bundled demo only.</summary>
    public bool Enabled { get; set; }

    /// <summary>Where it listens; keep it on loopback.</summary>
    public string Url { get; set; } = "http://127.0.0.1:8001";
}
