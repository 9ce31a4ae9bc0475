using Gateway.Hosting;
using System.Collections.Frozen;
using Gateway.Scripting;
using Gateway.Scripting.Compilation;
using Microsoft.Extensions.Options;

namespace Gateway.Transforms;

/// <summary>
/// Compiles every <c>.csx</c> in the transforms folder, in parallel, and resolves the bindings into chains.
/// A bound transform that does not compile, or a binding that names no file, fails the whole build; an
/// unbound transform that does not compile is only logged. Each binding keeps the filter (sources and statuses)
/// that decides which terminations it sees.
/// </summary>
internal sealed partial class TransformCatalogBuilder(ITransformCompiler compiler, ILogger<TransformCatalogBuilder> logger)
{
    public TransformCatalog Build(TransformOptions options, CancellationToken cancellationToken) =>
        Build(options, previous: null, cancellationToken);

    /// <summary>
    /// Builds a catalog. With <paramref name="previous"/> (a reload), a file whose source is unchanged keeps
    /// its compiled version, and a bound transform that no longer compiles, or whose file is gone, keeps its
    /// last good version: the errors are logged instead of thrown.
    /// </summary>
    public TransformCatalog Build(TransformOptions options, TransformCatalog? previous, CancellationToken cancellationToken)
    {
        var folder = compiler.TransformsFolder;
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.csx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray()
            : [];
        if (files.Length == 0)
        {
            LogNoTransforms(logger, folder);
        }

        // Every file is sent at once: the compiler compiles them in parallel.
        var compilations = Task.WhenAll(files.Select(file => CompileAsync(file, previous, cancellationToken))).GetAwaiter().GetResult();

        var bound = BoundNames(options);
        var errors = new List<TransformDiagnostic>();
        var refused = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var compilation in compilations)
        {
            foreach (var diagnostic in compilation.Diagnostics)
            {
                if (!diagnostic.IsError)
                {
                    LogCompileWarning(logger, diagnostic.ToString());
                }
                else if (bound.Contains(compilation.Name) && previous is null)
                {
                    errors.Add(diagnostic);
                }
                else if (bound.Contains(compilation.Name))
                {
                    LogReloadRefused(logger, compilation.Name, diagnostic.ToString());
                    Refuse(refused, compilation.Name, diagnostic.ToString());
                }
                else
                {
                    LogUnboundCompileError(logger, compilation.Name, diagnostic.ToString());
                }
            }
        }

        var compiled = compilations
            .Where(c => c.Transform is not null)
            .ToDictionary(c => c.Name, c => c.Transform!, StringComparer.Ordinal);

        // On reload, a bound transform that failed or whose file is gone keeps serving its last good version.
        foreach (var name in bound.Where(n => !compiled.ContainsKey(n)))
        {
            if (previous?.Transforms.TryGetValue(name, out var lastGood) == true)
            {
                compiled[name] = lastGood;
                LogKeptLastGood(logger, name);
            }
        }

        var transforms = compiled.ToFrozenDictionary(StringComparer.Ordinal);
        var names = compilations.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        var filterErrors = new List<string>();
        var reloadErrors = new List<TransformDiagnostic>();
        BoundChain Resolve(TransformBinding binding, string boundTo, string key)
        {
            var filter = TerminationFilter.From(binding, key, filterErrors);
            var chain = new List<CompiledTransform>();
            foreach (var name in binding.Transforms)
            {
                if (transforms.TryGetValue(name, out var transform))
                {
                    chain.Add(transform);
                }
                else if (!names.Contains(name))
                {
                    (previous is null ? errors : reloadErrors).Add(new TransformDiagnostic(
                        Path.Combine(folder, name), 1, 1, "error", "GW0002",
                        $"Transform '{name}' is bound to {boundTo} but there is no such file in {folder}."));
                }
            }

            return new BoundChain([.. chain], filter);
        }

        var global = Resolve(options.Global, "every route (Global)", $"{TransformOptions.Section}:{nameof(TransformOptions.Global)}");
        var routes = options.Routes.ToFrozenDictionary(
            r => r.Key,
            r => Resolve(r.Value, $"route '{r.Key}'", $"{TransformOptions.Section}:{nameof(TransformOptions.Routes)}:{r.Key}"),
            StringComparer.OrdinalIgnoreCase);

        // Start-up validation (TransformOptionsValidator) has already refused these; this covers a caller that skips it.
        if (filterErrors.Count > 0)
        {
            throw new OptionsValidationException(TransformOptions.Section, typeof(TransformOptions), filterErrors);
        }

        if (errors.Count > 0)
        {
            throw new TransformCatalogException(errors);
        }

        foreach (var error in reloadErrors)
        {
            LogReloadRefused(logger, Path.GetFileName(error.File), error.ToString());
            Refuse(refused, Path.GetRelativePath(folder, error.File).Replace('\\', '/'), error.ToString());
        }

        LogCatalogBuilt(logger, transforms.Count, folder);
        var now = DateTimeOffset.UtcNow;
        return new TransformCatalog(transforms, global, routes)
        {
            // A version kept from the previous catalog keeps the time it was compiled at.
            CompiledAt = transforms.ToFrozenDictionary(
                t => t.Key,
                t => previous is not null && previous.Transforms.TryGetValue(t.Key, out var old) && ReferenceEquals(old, t.Value)
                    && previous.CompiledAt.TryGetValue(t.Key, out var at) ? at : now,
                StringComparer.Ordinal),
            Refused = refused.ToFrozenDictionary(r => r.Key, r => (IReadOnlyList<string>)r.Value, StringComparer.Ordinal),
        };
    }

    // A file whose text is what the previous version was compiled from keeps that version. Files that #load
    // others are always recompiled: what they load may have changed.
    private async Task<TransformCompilation> CompileAsync(string file, TransformCatalog? previous, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(file);
        var name = TransformIdentity.NameOf(compiler.TransformsFolder, fullPath);
        string source;
        try
        {
            source = await File.ReadAllTextAsync(fullPath, System.Text.Encoding.UTF8, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var diagnostic = new TransformDiagnostic(fullPath, 1, 1, "error", "GW0001", $"Cannot read the transform: {e.Message}");
            return new TransformCompilation(name, fullPath, null, [diagnostic]);
        }

        if (previous is not null && previous.Transforms.TryGetValue(name, out var transform) && !source.Contains("#load", StringComparison.Ordinal)
            && transform.SourceHash == TransformIdentity.HashOf(source))
        {
            return TransformCompilation.Reused(transform);
        }

        return await compiler.CompileAsync(fullPath, source, cancellationToken);
    }

    private static void Refuse(Dictionary<string, List<string>> refused, string name, string diagnostic)
    {
        if (!refused.TryGetValue(name, out var diagnostics))
        {
            refused[name] = diagnostics = [];
        }

        diagnostics.Add(diagnostic);
    }

    private static HashSet<string> BoundNames(TransformOptions options) =>
        options.Global.Transforms.Concat(options.Routes.Values.SelectMany(r => r.Transforms)).ToHashSet(StringComparer.Ordinal);

    [LoggerMessage(EventId = EventIds.TransformsCompiled, Level = LogLevel.Information, Message = "Compiled {TransformCount} transforms from {TransformsFolder}")]
    private static partial void LogCatalogBuilt(ILogger logger, int transformCount, string transformsFolder);

    [LoggerMessage(EventId = EventIds.NoTransforms, Level = LogLevel.Warning, Message = "No .csx transforms found in {TransformsFolder}")]
    private static partial void LogNoTransforms(ILogger logger, string transformsFolder);

    [LoggerMessage(EventId = EventIds.TransformCompileWarning, Level = LogLevel.Warning, Message = "{Diagnostic}")]
    private static partial void LogCompileWarning(ILogger logger, string diagnostic);

    [LoggerMessage(EventId = EventIds.TransformReloadRefused, Level = LogLevel.Error, Message = "Reload of transform {Transform} refused, its last good version keeps serving: {Diagnostic}")]
    private static partial void LogReloadRefused(ILogger logger, string transform, string diagnostic);

    [LoggerMessage(EventId = EventIds.TransformKeptLastGood, Level = LogLevel.Warning, Message = "Transform {Transform} keeps serving its last good version until its file compiles again or its binding changes")]
    private static partial void LogKeptLastGood(ILogger logger, string transform);

    [LoggerMessage(EventId = EventIds.UnboundTransformCompileError, Level = LogLevel.Error, Message = "Transform {Transform} is not bound anywhere and does not compile: {Diagnostic}")]
    private static partial void LogUnboundCompileError(ILogger logger, string transform, string diagnostic);
}
