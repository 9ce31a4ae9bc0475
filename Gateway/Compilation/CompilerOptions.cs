using Gateway.Isolation;

namespace Gateway.Compilation;

/// <summary>
/// The compiler process: <c>Gateway:Transforms:Compiler</c>. The gateway never loads Roslyn: it starts a compiler
/// process when it has transforms to compile (start-up, a reload, the transform hosts' warm-up) and lets it go when
/// it has been idle for <see cref="IdleTimeout"/>. Read at each compile.
/// </summary>
internal sealed class CompilerOptions
{
    /// <summary>The longest <see cref="IdleTimeout"/> and <see cref="Deadline"/> accepted: one hour.</summary>
    public static readonly TimeSpan Ceiling = TimeSpan.FromHours(1);

    /// <summary>
    /// Where transforms compile: in a compiler process (<see cref="TransformIsolation.Process"/>, the default: the
    /// gateway never loads Roslyn) or in the gateway's own process (<see cref="TransformIsolation.InProcess"/>: faster
    /// start-up and no cold compiler after an idle spell, ~110 MB more resident). Read at start-up only.
    /// </summary>
    public TransformIsolation Isolation { get; set; } = TransformIsolation.Process;

    /// <summary>
    /// How long the compiler process stays after its last compile. Default 2 minutes: an author's edit-save loop
    /// recompiles warm (tens of ms rather than the seconds of a cold compiler), and an idle gateway is lean soon after.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long one compile may take, a cold compiler's start included, before the compiler process is killed and
    /// the transform reported as not compiled. Default 2 minutes: generous, for a loaded machine.
    /// </summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The cache of compiled transforms across restarts. Read at start-up only.</summary>
    public CompilerCacheOptions Cache { get; set; } = new();

    /// <summary>The problems with these settings, each naming its key; empty when they are valid.</summary>
    /// <param name="section">The configuration section they were read from.</param>
    public IEnumerable<string> Validate(string section)
    {
        if (IdleTimeout <= TimeSpan.Zero || IdleTimeout > Ceiling)
        {
            yield return $"{section}:{nameof(IdleTimeout)} is {IdleTimeout}; it must be above 00:00:00 and at most {Ceiling}.";
        }

        if (Deadline <= TimeSpan.Zero || Deadline > Ceiling)
        {
            yield return $"{section}:{nameof(Deadline)} is {Deadline}; it must be above 00:00:00 and at most {Ceiling}.";
        }

        foreach (var error in Cache.Validate($"{section}:{nameof(Cache)}"))
        {
            yield return error;
        }
    }
}
