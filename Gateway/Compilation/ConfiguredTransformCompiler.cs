using Gateway.Isolation;
using Gateway.Scripting.Compilation;
using Gateway.Transforms;
using Microsoft.Extensions.Options;

namespace Gateway.Compilation;

/// <summary>
/// The gateway's compiler, where <c>Gateway:Transforms:Compiler:Isolation</c> puts it: a compiler process
/// (<see cref="ProcessTransformCompiler"/>, the default: Roslyn never loads in the gateway) or Roslyn in the gateway's
/// own process (<see cref="TransformCompiler"/>: no compiler to boot at start-up or after an idle spell, at the cost of
/// Roslyn's ~110 MB staying resident); either behind the <see cref="CompiledTransformCache"/> unless
/// <c>Compiler:Cache:Enabled</c> is false. Chosen at the first compile, not when built: YARP builds the transform-host
/// pool, which holds this, while it loads its own configuration, and an invalid transforms section must fail
/// start-up with its own error.
/// </summary>
internal sealed class ConfiguredTransformCompiler : ITransformCompiler
{
    private readonly Lazy<ITransformCompiler> _chosen;

    public ConfiguredTransformCompiler(IServiceProvider services, IOptionsMonitor<TransformOptions> options, IHostEnvironment environment, ILogger<CompiledTransformCache> logger) =>
        _chosen = new(() =>
        {
            var current = options.CurrentValue;
            var folder = Path.GetFullPath(current.Path, environment.ContentRootPath);
            ITransformCompiler compiler = current.Compiler.Isolation == TransformIsolation.InProcess
                ? new TransformCompiler(folder, current.Sandbox)
                : services.GetRequiredService<ProcessTransformCompiler>();
            return current.Compiler.Cache.FullPath(environment.ContentRootPath) is { } cache
                ? new CachingTransformCompiler(compiler, new CompiledTransformCache(cache, folder, current.Sandbox, logger))
                : compiler;
        });

    /// <summary>The compiler chosen (tests and logs), behind the cache when there is one.</summary>
    public ITransformCompiler Chosen => _chosen.Value is CachingTransformCompiler cached ? cached.Inner : _chosen.Value;

    /// <summary>The cache of compiled transforms, or null when it is disabled.</summary>
    public CompiledTransformCache? Cache => (_chosen.Value as CachingTransformCompiler)?.Cache;

    /// <inheritdoc />
    public string TransformsFolder => _chosen.Value.TransformsFolder;

    /// <inheritdoc />
    public Task<TransformCompilation> CompileAsync(string path, string source, CancellationToken cancellationToken = default) =>
        _chosen.Value.CompileAsync(path, source, cancellationToken);
}
