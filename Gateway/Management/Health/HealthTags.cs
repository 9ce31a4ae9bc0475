namespace Gateway.Management.Health;

/// <summary>The tags that put a health check behind a probe.</summary>
public static class HealthTags
{
    /// <summary>
    /// Checks behind <c>/readyz</c>: register one more with <c>services.AddHealthChecks().AddCheck&lt;T&gt;(name, tags: [HealthTags.Ready])</c>.
    /// </summary>
    public const string Ready = "ready";

    /// <summary>Checks behind <c>/healthz</c>: only what says the process itself is broken (none by default).</summary>
    public const string Live = "live";
}
