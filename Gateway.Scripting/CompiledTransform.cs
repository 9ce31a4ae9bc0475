using System.Runtime.Loader;

namespace Gateway.Scripting;

/// <summary>
/// A transform compiled once and ready to run any number of times. Immutable: a new version of the file
/// is a new <see cref="CompiledTransform"/>.
/// </summary>
public sealed class CompiledTransform
{
    private readonly Func<object?[], Task<object>> _factory;

    // Held so the load context lives exactly as long as this transform can be invoked.
    private readonly AssemblyLoadContext _loadContext;

    internal CompiledTransform(
        string name,
        string filePath,
        string sourceHash,
        Func<object?[], Task<object>> factory,
        AssemblyLoadContext loadContext)
    {
        Name = name;
        FilePath = filePath;
        SourceHash = sourceHash;
        _factory = factory;
        _loadContext = loadContext;
    }

    /// <summary>The transform's name: its path relative to the transforms folder, e.g. <c>arr.csx</c>.</summary>
    public string Name { get; }

    /// <summary>The full path of the file it was compiled from.</summary>
    public string FilePath { get; }

    /// <summary>The SHA-256 of the source it was compiled from, in hex.</summary>
    public string SourceHash { get; }

    /// <summary>The name of the load context its assembly lives in.</summary>
    internal string? LoadContextName => _loadContext.Name;

    /// <summary>
    /// Whether this version runs on the dedicated <see cref="Execution.ScriptThreads"/> rather than the thread
    /// pool: set once it has been stuck past its deadline in a library call, so that it can hold a script
    /// thread, never a pool thread, again.
    /// </summary>
    internal bool Isolated
    {
        get => Volatile.Read(ref _isolated);
        set => Volatile.Write(ref _isolated, value);
    }

    private bool _isolated;

    /// <summary>
    /// Lets this version's assembly be collected once nothing runs or holds it any more: a run in flight
    /// finishes normally. Call it when a newer version has replaced this one.
    /// </summary>
    public void Unload() => _loadContext.Unload();

    /// <summary>Runs the script's top-level code once against <paramref name="globals"/>, changing them in place.</summary>
    /// <param name="globals">The response and request the script sees.</param>
    /// <returns>A task that completes when the script has run; it faults with whatever the script threw.</returns>
    public Task InvokeAsync(ExitContext globals)
    {
        ArgumentNullException.ThrowIfNull(globals);

        // A script's submission array holds the globals at index 0 and the submission itself at index 1.
        return _factory([globals, null]);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
