using System.Collections.Immutable;

namespace Gateway.Scripting.Compilation;

/// <summary>What compiling one transform produced: the runnable transform, or the errors that stopped it.</summary>
public sealed class TransformCompilation
{
    /// <summary>A compilation's outcome, as a compiler (in this process or another) produced it.</summary>
    /// <param name="name">The transform's name, e.g. <c>arr.csx</c>.</param>
    /// <param name="filePath">The full path of its file.</param>
    /// <param name="transform">The runnable transform, or <see langword="null"/> when compilation failed.</param>
    /// <param name="diagnostics">Every error and warning, in source order.</param>
    public TransformCompilation(string name, string filePath, CompiledTransform? transform, ImmutableArray<TransformDiagnostic> diagnostics)
    {
        Name = name;
        FilePath = filePath;
        Transform = transform;
        Diagnostics = diagnostics;
    }

    /// <summary>A compilation that reuses a version already compiled from the same source.</summary>
    /// <param name="transform">The version to reuse.</param>
    public static TransformCompilation Reused(CompiledTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return new(transform.Name, transform.FilePath, transform, []);
    }

    /// <summary>The transform's name: its path relative to the transforms folder, e.g. <c>arr.csx</c>.</summary>
    public string Name { get; }

    /// <summary>The full path of the transform's file.</summary>
    public string FilePath { get; }

    /// <summary>The runnable transform, or <see langword="null"/> when compilation failed.</summary>
    public CompiledTransform? Transform { get; }

    /// <summary>Every error and warning, in source order.</summary>
    public ImmutableArray<TransformDiagnostic> Diagnostics { get; }

    /// <summary>Whether the transform compiled and can run.</summary>
    public bool Succeeded => Transform is not null;

    /// <summary>The errors only.</summary>
    public IEnumerable<TransformDiagnostic> Errors => Diagnostics.Where(d => d.IsError);
}
