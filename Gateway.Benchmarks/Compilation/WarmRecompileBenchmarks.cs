using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Scripting;
using Gateway.Scripting.Compilation;

namespace Gateway.Benchmarks.Compilation;

/// <summary>
/// Recompiling arr.csx after an edit, with Roslyn already warm (the second compile onward in a process): compile,
/// emit, load into a new collectible context. Each run changes a comment, as a save would.
/// </summary>
[MemoryDiagnoser]
public class WarmRecompileBenchmarks
{
    private readonly System.Text.Json.Nodes.JsonObject _body = SampleExit.Body();
    private TransformCompiler _compiler = null!;
    private string _path = null!;
    private string _source = null!;
    private int _saves;

    [GlobalSetup]
    public void Setup()
    {
        _compiler = new TransformCompiler(RepositoryPaths.Transforms);
        _path = Path.Combine(RepositoryPaths.Transforms, "arr.csx");
        _source = File.ReadAllText(_path);
        _ = Compile();
    }

    /// <summary>Compile, emit and load.</summary>
    [Benchmark(Baseline = true)]
    public CompiledTransform Recompile() => Compile();

    /// <summary>The same, then the first invocation, which JIT-compiles the new submission.</summary>
    [Benchmark]
    public Task RecompileAndFirstRun() => Compile().InvokeAsync(SampleExit.Context(_body));

    private CompiledTransform Compile()
    {
        var compilation = _compiler.Compile(_path, $"{_source}{Environment.NewLine}// save {++_saves}");
        return compilation.Transform ?? throw new InvalidOperationException(string.Join(Environment.NewLine, compilation.Errors));
    }
}
