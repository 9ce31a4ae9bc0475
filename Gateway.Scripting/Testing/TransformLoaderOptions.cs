using Gateway.Scripting.Execution;
using Gateway.Scripting.Sandbox;
using Microsoft.Extensions.Logging;

namespace Gateway.Scripting.Testing;

/// <summary>How <see cref="TransformLoader"/> compiles a transform, and how the loaded transform runs.</summary>
public sealed class TransformLoaderOptions
{
    /// <summary>
    /// The transforms folder, which <c>#load</c> may not leave (as <c>Gateway:Transforms:Folder</c> in the gateway);
    /// <see langword="null"/> for the folder the file is in.
    /// </summary>
    public string? TransformsFolder { get; set; }

    /// <summary>The deployment's widening of the allow-list (<c>Gateway:Transforms:Sandbox</c>); <see langword="null"/> for the default.</summary>
    public SandboxOptions? Sandbox { get; set; }

    /// <summary>
    /// The execution budget of each run. The default is the gateway's, with a wall time of one second and a grace of
    /// one second instead of 20 ms and 100 ms, so that a busy test machine does not fail a well-behaved script; set
    /// the gateway's values to test against them.
    /// </summary>
    public TransformBudgetOptions Budget { get; set; } = new()
    {
        WallTime = TimeSpan.FromSeconds(1),
        Grace = TimeSpan.FromSeconds(1),
    };

    /// <summary>Receives what scripts write to their <c>Log</c> global and the runner's failure logs; <see langword="null"/> for none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
