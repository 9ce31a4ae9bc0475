using BenchmarkDotNet.Running;
using Gateway.Benchmarks.Compilation;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Benchmarks.Isolation;

namespace Gateway.Benchmarks;

/// <summary>
/// Runs the benchmarks BenchmarkDotNet's command line selects: <c>--filter '*'</c> for all, <c>--job short</c> for a quick run.
/// </summary>
internal static class BenchmarkProgram
{
    // Not "Program": the gateway's own Program class is public, and this assembly references it.
    public static async Task<int> Main(string[] args)
    {
        // The cold-start benchmark starts this same program as a child: a fresh runtime and a cold Roslyn.
        if (args is [ColdStartChild.Verb, var transformsFolder])
        {
            return await ColdStartChild.RunAsync(transformsFolder);
        }

        // The round trip to a transform host, CPU on both sides: not a BenchmarkDotNet benchmark (it sees one process).
        if (args is [RoundTripMeter.Verb, ..])
        {
            return await RoundTripMeter.RunAsync(args);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(BenchmarkConfig.InProcess(args), BenchmarkConfig.Create());
        return 0;
    }
}
