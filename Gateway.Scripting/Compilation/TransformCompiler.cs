using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Scripting;
using Gateway.Scripting.Sandbox;

namespace Gateway.Scripting.Compilation;

/// <summary>
/// Compiles <c>.csx</c> transforms against the restricted reference set into an emitted image that is loaded,
/// where it runs, into a collectible load context of its own. Compilation happens once per version of a file, never per request, in four steps:
/// directives are checked before anything is read; the script is compiled and every symbol it names is
/// checked against the sandbox's allow-list; execution-budget checks are woven into its source (lines
/// unchanged); and the woven source is compiled again and emitted.
/// </summary>
/// <remarks>
/// The compilation is emitted here, and loaded by <see cref="CompiledTransform.Load"/>, rather than run through
/// <c>CSharpScript.RunAsync</c>, which loads every version into the default load context where it can never be
/// unloaded. Compiling loads nothing of the script: a gateway that isolates transforms never loads them at all.
/// </remarks>
public sealed class TransformCompiler : ITransformCompiler
{
    private readonly string _folder;
    private readonly TransformsFolderSourceResolver _sources;
    private readonly SandboxAnalyzer _sandbox;
    private readonly ScriptOptions _options;
    private readonly ScriptOptions _analysisOptions;

    /// <summary>Creates a compiler for the transforms in <paramref name="transformsFolder"/>.</summary>
    /// <param name="transformsFolder">The folder transforms live in; <c>#load</c> may reach only files inside it.</param>
    /// <param name="sandbox">How the deployment widens the allow-list; <see langword="null"/> for the default.</param>
    public TransformCompiler(string transformsFolder, SandboxOptions? sandbox = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(transformsFolder);
        _folder = Path.GetFullPath(transformsFolder);
        _sources = new TransformsFolderSourceResolver(_folder);
        _sandbox = new SandboxAnalyzer(new SandboxPolicy(sandbox));
        _options = ScriptOptions.Default
            .WithReferences(ScriptReferences.Assemblies)
            .WithImports(ScriptReferences.Imports)
            .WithMetadataResolver(NoMetadataReferencesResolver.Instance)
            .WithSourceResolver(_sources)
            .WithLanguageVersion(LanguageVersion.Latest)
            // Without JIT optimisations a failure's stack frame maps to its exact line even inside the woven
            // try/finally blocks; a transform's cost lies in the library calls it makes, which stay optimised.
            .WithOptimizationLevel(OptimizationLevel.Debug)
            .WithAllowUnsafe(false)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8);

        // Checked against the allow-list with the whole framework in view and unsafe code admitted, so every
        // refusal is the sandbox's, with its code and advice; emitted against the restricted set, unsafe refused.
        _analysisOptions = _options.WithReferences(ScriptReferences.AnalysisAssemblies).WithAllowUnsafe(true);
        _options = _options.WithReferences([.. ScriptReferences.Assemblies, .. WidenedAssemblies(sandbox)]);
    }

    /// <summary>The full path of the transforms folder.</summary>
    public string TransformsFolder => _folder;

    /// <inheritdoc />
    public Task<TransformCompilation> CompileAsync(string path, string source, CancellationToken cancellationToken = default) =>
        Task.FromResult(Compile(path, source, cancellationToken));

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

        var options = _options.WithFilePath(fullPath);
        var directives = DirectiveChecker.Check(CSharpSyntaxTree.ParseText(source, ParseOptions, fullPath, cancellationToken: cancellationToken), _folder, cancellationToken);
        if (directives.Count > 0)
        {
            return Failed(name, fullPath, directives);
        }

        var compilation = WithNullableAnnotations(CSharpScript.Create(source, _analysisOptions.WithFilePath(fullPath), typeof(ExitContext)).GetCompilation());
        var diagnostics = compilation.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity is DiagnosticSeverity.Error or DiagnosticSeverity.Warning)
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => TransformDiagnostic.From(d, fullPath))
            .ToImmutableArray();
        if (diagnostics.Any(d => d.IsError))
        {
            return new TransformCompilation(name, fullPath, null, diagnostics);
        }

        var rules = new SandboxRules(compilation);
        var violations = _sandbox.Analyze(compilation, rules, cancellationToken);
        if (violations.Count > 0)
        {
            return Failed(name, fullPath, violations);
        }

        // Weave the budget checks into the script and every file it #loads, then compile that.
        var woven = compilation.SyntaxTrees.ToDictionary(
            tree => tree.FilePath,
            tree => BudgetRewriter.Rewrite(tree, compilation.GetSemanticModel(tree), rules, cancellationToken),
            StringComparer.Ordinal);
        // A script with no code at all (empty, or comments only) emits nothing to run: give it a bare return,
        // after its last line so that no line moves.
        if (!compilation.SyntaxTrees.First(t => t.FilePath == fullPath).GetRoot(cancellationToken).ChildNodes().Any())
        {
            woven[fullPath] += Environment.NewLine + "return;";
        }

        var wovenCompilation = CSharpScript
            .Create(woven[fullPath], options.WithSourceResolver(_sources.WithRewritten(woven)), typeof(ExitContext))
            .GetCompilation();

        using var peStream = new MemoryStream();
        using var pdbStream = new MemoryStream();
        var emit = wovenCompilation.Emit(
            peStream,
            pdbStream,
            options: new EmitOptions(debugInformationFormat: DebugInformationFormat.PortablePdb),
            cancellationToken: cancellationToken);
        if (!emit.Success)
        {
            // The woven source failed where the author's compiled: a gateway bug, reported as such.
            var cause = emit.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
            var internalError = new TransformDiagnostic(fullPath, 1, 1, "error", "GW0999",
                $"The gateway could not add execution-budget checks to this transform (please report it): {(cause is null ? "the emit failed without a diagnostic" : TransformDiagnostic.From(cause, fullPath))}");
            return new TransformCompilation(name, fullPath, null, [.. diagnostics, internalError]);
        }

        var entryPoint = wovenCompilation.GetEntryPoint(cancellationToken)
            ?? throw new InvalidOperationException("The script compilation has no entry point.");
        var image = new TransformImage(peStream.ToArray(), pdbStream.ToArray(), entryPoint.ContainingType.MetadataName, entryPoint.MetadataName);
        var transform = new CompiledTransform(name, fullPath, HashOf(source), image);
        return new TransformCompilation(name, fullPath, transform, diagnostics);
    }

    // A deployment that allows more types than the default must also let the emitted script reference them.
    private static IEnumerable<MetadataReference> WidenedAssemblies(SandboxOptions? sandbox)
    {
        if (sandbox is null || (sandbox.AllowedTypes.Count == 0 && sandbox.AllowedNamespaces.Count == 0))
        {
            return [];
        }

        var probe = CSharpCompilation.Create("probe", references: ScriptReferences.AnalysisAssemblies);
        var wanted = new HashSet<string>(sandbox.AllowedNamespaces, StringComparer.Ordinal);
        var assemblies = new HashSet<IAssemblySymbol>(SymbolEqualityComparer.Default);
        foreach (var name in sandbox.AllowedTypes)
        {
            if (probe.GetTypeByMetadataName(name) is { } type)
            {
                assemblies.Add(type.ContainingAssembly);
            }
        }

        foreach (var reference in probe.References)
        {
            if (probe.GetAssemblyOrModuleSymbol(reference) is IAssemblySymbol assembly && DeclaresAny(assembly.GlobalNamespace, wanted))
            {
                assemblies.Add(assembly);
            }
        }

        return probe.References.Where(r => probe.GetAssemblyOrModuleSymbol(r) is IAssemblySymbol a && assemblies.Contains(a));
    }

    private static bool DeclaresAny(INamespaceSymbol ns, HashSet<string> wanted) =>
        (wanted.Contains(ns.ToDisplayString()) && ns.GetTypeMembers().Any(t => t.DeclaredAccessibility == Accessibility.Public))
        || ns.GetNamespaceMembers().Any(child => DeclaresAny(child, wanted));

    // Scripts may annotate nullable references (string?) and get the compiler's nullable warnings: warnings, like every
    // other compiler warning a script gets, reported but never stopping it. ScriptOptions has no such setting. The
    // emitted compilation needs none: nullability changes no code, and only its errors are read.
    private static Microsoft.CodeAnalysis.Compilation WithNullableAnnotations(Microsoft.CodeAnalysis.Compilation compilation) =>
        compilation.WithOptions(((CSharpCompilationOptions)compilation.Options).WithNullableContextOptions(NullableContextOptions.Enable));

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    private static TransformCompilation Failed(string name, string fullPath, IEnumerable<SandboxViolation> violations) =>
        new(name, fullPath, null, [.. violations
            .OrderBy(v => v.Location.SourceSpan.Start)
            .Select(v =>
            {
                var span = v.Location.GetLineSpan();
                var file = string.IsNullOrEmpty(span.Path) ? fullPath : span.Path;
                return new TransformDiagnostic(file, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, "error", v.Code, v.Message);
            })]);

    /// <summary>The hash a compiled transform records of its source (<see cref="CompiledTransform.SourceHash"/>).</summary>
    /// <param name="source">The script's text.</param>
    public static string HashOf(string source) => TransformIdentity.HashOf(source);

    /// <summary>The name of the transform at <paramref name="path"/>: its path relative to the transforms folder.</summary>
    /// <param name="path">The transform's file.</param>
    public string NameOf(string path) => TransformIdentity.NameOf(_folder, path);
}
