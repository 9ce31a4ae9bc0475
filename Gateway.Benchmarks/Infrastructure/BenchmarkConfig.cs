using BenchmarkDotNet.Configs;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>
/// How the benchmarks run. Always in this process: BenchmarkDotNet's default toolchain generates and builds a project
/// of its own, which rebuilds Gateway and Gateway.Scripting into their default bin/obj folders. In-process keeps the
/// build where the user put it (for example with <c>--artifacts-path</c>) and starts faster.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance;

    /// <summary>The command line with <c>--inProcess</c> added, so that any job chosen (<c>--job short</c>) runs in this process.</summary>
    public static string[] InProcess(string[] args) =>
        args.Any(a => a is "-i" or "--inProcess") ? args : [.. args, "--inProcess"];
}
