namespace Gateway.Transforms;

/// <summary>The <c>Gateway:Transforms</c> section: where transforms live and which ones run where.</summary>
internal sealed class TransformOptions
{
    public const string Section = "Gateway:Transforms";

    /// <summary>The folder of <c>.csx</c> files, relative to the content root (the <c>Gateway</c> folder under <c>dotnet run</c>).</summary>
    public string Path { get; set; } = "Transforms";

    /// <summary>Transforms every termination goes through first, whatever its route.</summary>
    public TransformBinding Global { get; set; } = new();

    /// <summary>Transforms per route id, run after the global ones.</summary>
    public Dictionary<string, TransformBinding> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The execution budget of each run of a transform, and when a repeat offender is quarantined.</summary>
    public Gateway.Scripting.Execution.TransformBudgetOptions Budget { get; set; } = new();

    /// <summary>Types and namespaces a deployment adds to the sandbox's allow-list (README: "The sandbox").</summary>
    public Gateway.Scripting.Sandbox.SandboxOptions Sandbox { get; set; } = new();
}
