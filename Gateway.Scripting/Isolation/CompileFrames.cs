using System.Text.Json.Serialization;
using Gateway.Scripting.Compilation;

namespace Gateway.Scripting.Isolation;

// The messages between the gateway and its compiler process (Gateway.TransformHost in compile mode), over the same
// HostChannel framing as the transform hosts' frames: plain data, serialised with System.Text.Json's source generator.

/// <summary>Gateway → compiler: compile <paramref name="Source"/> as the content of <paramref name="Path"/>.</summary>
/// <param name="Id">The request's id, echoed by the reply.</param>
/// <param name="Path">The transform's full path: diagnostics name it, and <c>#load</c> resolves from it.</param>
/// <param name="Source">The script's text, read by the gateway.</param>
public sealed record CompileFrame(long Id, string Path, string Source);

/// <summary>Compiler → gateway: what compiling one transform produced.</summary>
/// <param name="Id">The request's id.</param>
/// <param name="Name">The transform's name.</param>
/// <param name="FilePath">Its full path.</param>
/// <param name="SourceHash">The SHA-256 of its source, when it compiled.</param>
/// <param name="Assembly">The emitted assembly, when it compiled.</param>
/// <param name="Symbols">Its portable PDB, when it compiled.</param>
/// <param name="EntryType">The submission class's metadata name, when it compiled.</param>
/// <param name="EntryMethod">Its factory method's metadata name, when it compiled.</param>
/// <param name="Diagnostics">Every error and warning, in source order.</param>
public sealed record CompiledFrame(
    long Id, string Name, string FilePath, string? SourceHash, byte[]? Assembly, byte[]? Symbols, string? EntryType, string? EntryMethod,
    TransformDiagnostic[] Diagnostics)
{
    /// <summary>The frame of a finished compilation.</summary>
    /// <param name="id">The request's id.</param>
    /// <param name="compilation">What the compiler produced.</param>
    public static CompiledFrame From(long id, TransformCompilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var transform = compilation.Transform;
        return new CompiledFrame(
            id, compilation.Name, compilation.FilePath, transform?.SourceHash, transform?.Image.Assembly, transform?.Image.Symbols,
            transform?.Image.EntryType, transform?.Image.EntryMethod, [.. compilation.Diagnostics]);
    }

    /// <summary>The compilation this frame carries, its transform (when it compiled) ready to load or hand to a host.</summary>
    public TransformCompilation ToCompilation()
    {
        CompiledTransform? transform = null;
        if (SourceHash is not null && Assembly is not null && Symbols is not null && EntryType is not null && EntryMethod is not null)
        {
            transform = new CompiledTransform(Name, FilePath, SourceHash, new TransformImage(Assembly, Symbols, EntryType, EntryMethod));
        }

        return new TransformCompilation(Name, FilePath, transform, [.. Diagnostics]);
    }
}

/// <summary>The source-generated serialisers of the compiler's frames.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CompileFrame))]
[JsonSerializable(typeof(CompiledFrame))]
public sealed partial class CompileFrameJson : JsonSerializerContext;
