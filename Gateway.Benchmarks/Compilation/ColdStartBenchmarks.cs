using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;

namespace Gateway.Benchmarks.Compilation;

/// <summary>
/// Cold start-up to ready with N transforms: a fresh process builds the real gateway (<c>AddGateway</c>,
/// <c>UseGateway</c>), compiles N transforms at start-up, listens on 127.0.0.1:0, then stops. Measured from process
/// start to exit; the 0-transform row is the gateway's start-up without Roslyn, so each other row minus it is what
/// the transforms add.
/// </summary>
[InvocationCount(1)]
[WarmupCount(1)]
[MinIterationCount(5)]
[MaxIterationCount(15)]
public class ColdStartBenchmarks
{
    private string _folder = null!;

    [Params(0, 1, 10, 50)]
    public int TransformCount { get; set; }

    [GlobalSetup]
    public void Setup() => _folder = TransformsFolder.Create(TransformCount);

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark]
    public void StartToReady()
    {
        using var process = Process.Start(ColdStartChild.StartInfo(_folder))
            ?? throw new InvalidOperationException("The child process did not start.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The child process exited with code {process.ExitCode}.");
        }
    }
}
