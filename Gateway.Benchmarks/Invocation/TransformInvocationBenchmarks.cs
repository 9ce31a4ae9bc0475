using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Scripting;
using Gateway.Scripting.Execution;

namespace Gateway.Benchmarks.Invocation;

/// <summary>
/// Invoking a compiled transform against the same logic as a C# lambda (the baseline, per transform): one that
/// does nothing (a bare <c>return;</c>: the price of the invocation alone), Transforms/arr.csx (the seed) and
/// Transforms/problem-details.csx (the RFC 9457 envelope).
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet ends a benchmark with [GlobalCleanup], which disposes the runner.
public class TransformInvocationBenchmarks
#pragma warning restore CA1001
{
    private readonly JsonObject _body = SampleExit.Body();
    private CompiledTransform _script = null!;
    private Func<ExitContext, Task> _lambda = null!;
    private ExitContext _globals = null!;
    private TransformRunner _runner = null!;
    private CompiledTransform[] _chain = null!;
    private ExitResponse _response = null!;

    /// <summary>Which transform: <c>empty</c>, or a file of Transforms/.</summary>
    [Params("empty", "arr.csx", "problem-details.csx")]
    public string Transform { get; set; } = "empty";

    [GlobalSetup]
    public void Setup()
    {
        (_script, _lambda) = Transform switch
        {
            "empty" => (SampleTransforms.FromSource("empty.csx", "return;"), LambdaTwins.Empty),
            "arr.csx" => (SampleTransforms.Load("arr.csx"), LambdaTwins.Arr),
            "problem-details.csx" => (SampleTransforms.Load("problem-details.csx"), LambdaTwins.ProblemDetails),
            _ => throw new ArgumentException($"No benchmark for '{Transform}'."),
        };
        _globals = SampleExit.Context(_body);
        _runner = new TransformRunner(DiscardingWebhookSender.Instance);
        _chain = [_script];
        _response = new ExitResponse(401, _body, null, new ResponseHeaders());
    }

    [GlobalCleanup]
    public void Cleanup() => _runner.Dispose();

    /// <summary>The logic as a plain C# lambda over the same globals.</summary>
    [Benchmark(Baseline = true)]
    public Task Lambda()
    {
        SampleExit.Reset(_globals, _body);
        return _lambda(_globals);
    }

    /// <summary>The compiled script, invoked directly.</summary>
    [Benchmark]
    public Task Script()
    {
        SampleExit.Reset(_globals, _body);
        return _script.InvokeAsync(_globals);
    }

    // The gateway calls the runner on thread-pool threads, where its hand-off is cheapest: so does this, in
    // batches (the one Task.Run per batch is shared by its operations).
    private const int Batch = 32;

    /// <summary>The same transform as the gateway runs it: through <see cref="TransformRunner"/>, on copies of the response.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public Task Runner() => Task.Run(async () =>
    {
        for (var i = 0; i < Batch; i++)
        {
            await _runner.RunAsync(_chain, _response, SampleExit.Request);
        }
    });
}
