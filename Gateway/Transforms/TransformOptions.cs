namespace Gateway.Transforms;

/// <summary>The <c>Gateway:Transforms</c> section: where transforms live, which ones run where, and on what.</summary>
internal sealed class TransformOptions
{
    public const string Section = "Gateway:Transforms";

    /// <summary>The default of <see cref="MaxUpstreamBodyBytes"/>: 64 KB.</summary>
    public const int DefaultMaxUpstreamBodyBytes = 64 * 1024;

    /// <summary>The largest <see cref="MaxUpstreamBodyBytes"/> accepted: 16 MB, since each buffered body is held in memory.</summary>
    public const int MaxUpstreamBodyBytesCeiling = 16 * 1024 * 1024;

    /// <summary>The folder of <c>.csx</c> files, relative to the content root (the <c>Gateway</c> folder under <c>dotnet run</c>).</summary>
    public string Path { get; set; } = "Transforms";

    /// <summary>Transforms every termination goes through first, whatever its route (when their filter matches).</summary>
    public TransformBinding Global { get; set; } = new();

    /// <summary>Transforms per route id, run after the global ones (when their filter matches).</summary>
    public Dictionary<string, TransformBinding> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The most bytes of an upstream's error body buffered for the transforms, received and decoded alike.
    /// A larger body reaches the transforms as <c>Body = null</c>, <c>Text = null</c>, and streams through
    /// untouched unless they write a body of their own. 0 means upstream bodies are never buffered.
    /// </summary>
    public int MaxUpstreamBodyBytes { get; set; } = DefaultMaxUpstreamBodyBytes;

    /// <summary>The execution budget of each run of a transform, and when a repeat offender is quarantined.</summary>
    public Gateway.Scripting.Execution.TransformBudgetOptions Budget { get; set; } = new();

    /// <summary>Types and namespaces a deployment adds to the sandbox's allow-list (README: "The sandbox").</summary>
    public Gateway.Scripting.Sandbox.SandboxOptions Sandbox { get; set; } = new();

    /// <summary>
    /// Where transforms run: <see cref="Gateway.Isolation.TransformIsolation.Process"/> (the default, in supervised
    /// transform-host processes) or <see cref="Gateway.Isolation.TransformIsolation.InProcess"/> (trusted transforms
    /// only). Read at start-up.
    /// </summary>
    public Gateway.Isolation.TransformIsolation Isolation { get; set; } = Gateway.Isolation.TransformIsolation.Process;

    /// <summary>How the transforms folder is watched for hot reload.</summary>
    public TransformReloadOptions Reload { get; set; } = new();

    /// <summary>The compiler process the gateway compiles transforms in (it never loads the compiler itself).</summary>
    public Gateway.Compilation.CompilerOptions Compiler { get; set; } = new();

    /// <summary>The transform-host pool, when <see cref="Isolation"/> is <c>Process</c>.</summary>
    public Gateway.Isolation.TransformHostOptions Hosts { get; set; } = new();
}
