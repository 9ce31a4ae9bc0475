using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Scripting;
using Gateway.Scripting.Execution;

namespace Gateway.Benchmarks.Invocation;

/// <summary>Invoking Transforms/arr.csx, the seed, compiled, against the same logic as a C# lambda (the baseline).</summary>
[MemoryDiagnoser]
public class ArrInvocationBenchmarks
{
    private readonly JsonObject _body = SampleExit.Body();
    private CompiledTransform _script = null!;
    private ExitContext _globals = null!;
    private TransformRunner _runner = null!;
    private CompiledTransform[] _chain = null!;
    private ExitResponse _response = null!;

    [GlobalSetup]
    public void Setup()
    {
        _script = SampleTransforms.Load("arr.csx");
        _globals = SampleExit.Context(_body);
        _runner = new TransformRunner(DiscardingWebhookSender.Instance);
        _chain = [_script];
        _response = new ExitResponse(401, _body, null, new ResponseHeaders());
    }

    /// <summary>The logic as a plain C# lambda over the same globals.</summary>
    [Benchmark(Baseline = true)]
    public Task Lambda()
    {
        SampleExit.Reset(_globals, _body);
        return LambdaTwins.Arr(_globals);
    }

    /// <summary>The compiled script, invoked directly.</summary>
    [Benchmark]
    public Task Script()
    {
        SampleExit.Reset(_globals, _body);
        return _script.InvokeAsync(_globals);
    }

    /// <summary>The same transform as the gateway runs it: through <see cref="TransformRunner"/>, on copies of the response.</summary>
    [Benchmark]
    public Task<TransformChainResult> Runner() => _runner.RunAsync(_chain, _response, SampleExit.Request);
}
