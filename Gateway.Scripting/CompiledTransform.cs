using System.Reflection;
using System.Runtime.Loader;

namespace Gateway.Scripting;

/// <summary>
/// A transform compiled once and ready to run any number of times. Immutable: a new version of the file
/// is a new <see cref="CompiledTransform"/>.
/// </summary>
/// <remarks>
/// Compiling only emits the transform's <see cref="Image"/>: nothing of the script is loaded into the process until
/// <see cref="Load"/> (or the first <see cref="InvokeAsync"/>). The gateway in <c>Process</c> isolation never loads
/// it; it hands the image to its transform hosts, which do.
/// </remarks>
public sealed class CompiledTransform
{
    private readonly object _gate = new();
    private Loaded? _loaded;
    private bool _unloaded;

    /// <summary>Creates a transform from an emitted image, for a process that will run it (a transform host).</summary>
    /// <param name="name">The transform's name, e.g. <c>arr.csx</c>.</param>
    /// <param name="filePath">The file it was compiled from.</param>
    /// <param name="sourceHash">The SHA-256 of its source, in hex.</param>
    /// <param name="image">The emitted assembly.</param>
    public CompiledTransform(string name, string filePath, string sourceHash, TransformImage image)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        FilePath = filePath ?? throw new ArgumentNullException(nameof(filePath));
        SourceHash = sourceHash ?? throw new ArgumentNullException(nameof(sourceHash));
        Image = image ?? throw new ArgumentNullException(nameof(image));
        CompiledAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The transform's name: its path relative to the transforms folder, e.g. <c>arr.csx</c>.</summary>
    public string Name { get; }

    /// <summary>The full path of the file it was compiled from.</summary>
    public string FilePath { get; }

    /// <summary>The SHA-256 of the source it was compiled from, in hex.</summary>
    public string SourceHash { get; }

    /// <summary>When this version was compiled (or received, in a transform host).</summary>
    public DateTimeOffset CompiledAt { get; }

    /// <summary>The emitted assembly.</summary>
    public TransformImage Image { get; }

    /// <summary>
    /// A key naming this version uniquely within a process's lifetime: its name and source hash. Two compilations
    /// of the same text share it, which is harmless: they are the same code.
    /// </summary>
    public string Key => Name + "@" + SourceHash[..16];

    /// <summary>The name of the load context its assembly lives in, once loaded.</summary>
    internal string? LoadContextName => _loaded?.Context.Name;

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
    /// Loads the transform into this process, in a collectible load context of its own, and compiles its methods
    /// to machine code, so that its first run's budget is not spent on either. Does nothing once loaded.
    /// </summary>
    /// <exception cref="InvalidOperationException">The transform has been unloaded.</exception>
    public void Load() => _ = EnsureLoaded();

    /// <summary>
    /// Lets this version's assembly be collected once nothing runs or holds it any more: a run in flight
    /// finishes normally. Call it when a newer version has replaced this one.
    /// </summary>
    public void Unload()
    {
        lock (_gate)
        {
            _unloaded = true;
            _loaded?.Context.Unload();
            _loaded = null;
        }
    }

    /// <summary>Runs the script's top-level code once against <paramref name="globals"/>, changing them in place.</summary>
    /// <param name="globals">The response and request the script sees.</param>
    /// <returns>A task that completes when the script has run; it faults with whatever the script threw.</returns>
    public Task InvokeAsync(ExitContext globals)
    {
        ArgumentNullException.ThrowIfNull(globals);

        // A script's submission array holds the globals at index 0 and the submission itself at index 1.
        return EnsureLoaded().Factory([globals, null]);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private Loaded EnsureLoaded()
    {
        var loaded = Volatile.Read(ref _loaded);
        if (loaded is not null)
        {
            return loaded;
        }

        lock (_gate)
        {
            if (_unloaded)
            {
                throw new InvalidOperationException($"Transform {Name} has been unloaded: a newer version replaced it.");
            }

            if (_loaded is null)
            {
                var context = new AssemblyLoadContext($"transform:{Name}:{SourceHash[..12]}", isCollectible: true);
                using var assembly = new MemoryStream(Image.Assembly, writable: false);
                using var symbols = new MemoryStream(Image.Symbols, writable: false);
                var loadedAssembly = context.LoadFromStream(assembly, symbols);
                var type = loadedAssembly.GetType(Image.EntryType, throwOnError: true)!;
                var method = type.GetMethod(Image.EntryMethod, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                    ?? throw new InvalidOperationException($"The submission has no {Image.EntryMethod} method.");
                PrepareMethods(loadedAssembly);
                Volatile.Write(ref _loaded, new Loaded(context, method.CreateDelegate<Func<object?[], Task<object>>>()));
            }

            return _loaded!;
        }
    }

    // JIT the script's own methods now, off the request path, so the first run's budget is not spent compiling.
    // A delegate's Invoke is implemented by the runtime and has no code to prepare.
    private static void PrepareMethods(Assembly assembly)
    {
        const BindingFlags all = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var type in assembly.GetTypes().Where(t => !t.ContainsGenericParameters))
        {
            foreach (var method in type.GetMethods(all).Where(m => !m.IsAbstract && !m.ContainsGenericParameters
                && (m.MethodImplementationFlags & MethodImplAttributes.Runtime) == 0))
            {
                System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod(method.MethodHandle);
            }
        }
    }

    // Held so the load context lives exactly as long as this transform can be invoked.
    private sealed record Loaded(AssemblyLoadContext Context, Func<object?[], Task<object>> Factory);
}
