using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;

namespace Gateway.Scripting.Compilation;

/// <summary>
/// Compiles <c>.csx</c> transforms against the restricted reference set, each into its own collectible
/// load context. Compilation happens once per version of a file, never per request.
/// </summary>
/// <remarks>
/// The compilation is emitted and loaded here rather than through <c>CSharpScript.RunAsync</c>, which loads
/// every version into the default load context where it can never be unloaded.
/// </remarks>
public sealed class TransformCompiler
{
    private readonly string _folder;
    private readonly ScriptOptions _options;

    /// <summary>Creates a compiler for the transforms in <paramref name="transformsFolder"/>.</summary>
    /// <param name="transformsFolder">The folder transforms live in; <c>#load</c> may reach only files inside it.</param>
    public TransformCompiler(string transformsFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(transformsFolder);
        _folder = Path.GetFullPath(transformsFolder);
        _options = ScriptOptions.Default
            .WithReferences(ScriptReferences.Assemblies)
            .WithImports(ScriptReferences.Imports)
            .WithMetadataResolver(NoMetadataReferencesResolver.Instance)
            .WithSourceResolver(new TransformsFolderSourceResolver(_folder))
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithAllowUnsafe(false)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);
    }

    /// <summary>The full path of the transforms folder.</summary>
    public string TransformsFolder => _folder;

    /// <summary>Reads and compiles the transform at <paramref name="path"/>.</summary>
    /// <param name="path">A <c>.csx</c> file, absolute or relative to the current directory.</param>
    /// <param name="cancellationToken">Stops a compilation that is no longer wanted.</param>
    public TransformCompilation CompileFile(string path, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(path);
        string source;
        try
        {
            source = File.ReadAllText(fullPath, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var diagnostic = new TransformDiagnostic(fullPath, 1, 1, "error", "GW0001", $"Cannot read the transform: {e.Message}");
            return new TransformCompilation(NameOf(fullPath), fullPath, null, [diagnostic]);
        }

        return Compile(fullPath, source, cancellationToken);
    }

    /// <summary>Compiles <paramref name="source"/> as if it were the content of <paramref name="path"/>.</summary>
    /// <param name="path">The file the source belongs to: diagnostics and stack traces name it.</param>
    /// <param name="source">The script's text.</param>
    /// <param name="cancellationToken">Stops a compilation that is no longer wanted.</param>
    public TransformCompilation Compile(string path, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var fullPath = Path.GetFullPath(path);
        var name = NameOf(fullPath);

        var script = CSharpScript.Create(source, _options.WithFilePath(fullPath), typeof(ExitContext));
        var compilation = script.GetCompilation();

        using var peStream = new MemoryStream();
        using var pdbStream = new MemoryStream();
        var emit = compilation.Emit(
            peStream,
            pdbStream,
            options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb),
            cancellationToken: cancellationToken);

        var diagnostics = emit.Diagnostics
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => TransformDiagnostic.From(d, fullPath))
            .ToImmutableArray();

        if (!emit.Success)
        {
            return new TransformCompilation(name, fullPath, null, diagnostics);
        }

        peStream.Position = 0;
        pdbStream.Position = 0;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
        var loadContext = new AssemblyLoadContext($"transform:{name}:{hash[..12]}", isCollectible: true);
        var assembly = loadContext.LoadFromStream(peStream, pdbStream);
        var factory = CreateFactory(compilation, assembly, cancellationToken);

        return new TransformCompilation(name, fullPath, new CompiledTransform(name, fullPath, hash, factory, loadContext), diagnostics);
    }

    private string NameOf(string fullPath)
    {
        var relative = Path.GetRelativePath(_folder, fullPath);
        var name = relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFileName(fullPath) : relative;
        return name.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static Func<object?[], Task<object>> CreateFactory(
        Microsoft.CodeAnalysis.Compilation compilation, Assembly assembly, CancellationToken cancellationToken)
    {
        // A script compiles to a submission class whose static <Factory> method runs its top-level code.
        var entryPoint = compilation.GetEntryPoint(cancellationToken)
            ?? throw new InvalidOperationException("The script compilation has no entry point.");
        var type = assembly.GetType(entryPoint.ContainingType.MetadataName, throwOnError: true)!;
        var method = type.GetMethod(entryPoint.MetadataName, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"The submission has no {entryPoint.MetadataName} method.");
        return method.CreateDelegate<Func<object?[], Task<object>>>();
    }
}
