using System.Diagnostics;
using System.Globalization;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Isolation;
using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Benchmarks.Isolation;

/// <summary>
/// The CPU a chain's round trip to a transform host costs, on both sides together: the seed's 401 (slack-alert.csx,
/// then arr.csx) answered through the exit path by many concurrent callers, once with <c>Isolation: InProcess</c> and
/// once with transform hosts; the CPU time of this process and of its hosts per call, and the difference. BenchmarkDotNet
/// sees only its own process's time, and a host's CPU is half of what a round trip costs: hence this meter.
/// Beside the CPU it counts, per call, what the CPU goes to: the gateway's thread-pool work items and allocated
/// bytes, and the context switches (wake-ups) of the gateway's and the hosts' threads.
/// <c>Gateway.Benchmarks roundtrip [calls] [concurrency] [rounds] [InProcess|Process]</c> (the last to measure, or
/// profile, one mode alone).
/// </summary>
internal static class RoundTripMeter
{
    public const string Verb = "roundtrip";

    private static readonly string[] Modes = ["InProcess", "Process"];

    private static readonly GatewayTermination Unauthorized = GatewayTerminations.NoApiKey;

    public static async Task<int> RunAsync(string[] args)
    {
        var calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40_000;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 32;
        var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        var only = args.Length > 4 ? args[4] : null;
        Console.WriteLine($"round trip: {calls} calls per round, {concurrency} at once, {rounds} rounds, modes interleaved; load average {LoadAverage()}");

        var results = new Dictionary<string, List<Measurement>> { ["InProcess"] = [], ["Process"] = [] };
        var modes = new List<(string Mode, Probe Probe)>();
        foreach (var mode in Modes.Where(m => only is null || string.Equals(m, only, StringComparison.OrdinalIgnoreCase)))
        {
            modes.Add((mode, Create(mode)));
        }

        try
        {
            // Warm-up: tiered JIT reaches its last tier only after many calls, later still on a loaded machine.
            for (var i = 0; i < 3; i++)
            {
                foreach (var (_, probe) in modes)
                {
                    await MeasureAsync(probe, calls, concurrency);
                }
            }

            for (var round = 1; round <= rounds; round++)
            {
                foreach (var (mode, probe) in modes)
                {
                    var m = await MeasureAsync(probe, calls, concurrency);
                    results[mode].Add(m);
                    Console.WriteLine($"round {round} {mode,-9} {m.CallsPerSecond,9:0} calls/s  gateway {m.GatewayMicroseconds,6:0.0} µs/call  hosts {m.HostMicroseconds,6:0.0} µs/call  total {m.TotalMicroseconds,6:0.0} µs/call{(m.Untransformed > 0 ? $"  ({m.Untransformed} answered without the chain)" : string.Empty)}");
                    Console.WriteLine($"        per call: gateway {m.GatewayWorkItems,5:0.00} thread-pool items, {m.GatewayBytes,6:0} B allocated, {m.GatewaySwitches,5:0.00} context switches; hosts {m.HostSwitches,5:0.00} context switches");
                }
            }
        }
        finally
        {
            foreach (var (_, probe) in modes)
            {
                await probe.DisposeAsync();
            }
        }

        if (modes.Count < 2)
        {
            var (mode, _) = modes[0];
            Console.WriteLine($"median CPU per call: {mode} {Median(results[mode], m => m.TotalMicroseconds):0.0} µs (gateway {Median(results[mode], m => m.GatewayMicroseconds):0.0} + hosts {Median(results[mode], m => m.HostMicroseconds):0.0}); load average {LoadAverage()}");
            return 0;
        }

        var inProcMin = results["InProcess"].Min(m => m.TotalMicroseconds);
        var procMin = results["Process"].Min(m => m.TotalMicroseconds);
        var inProc = Median(results["InProcess"], m => m.TotalMicroseconds);
        var proc = Median(results["Process"], m => m.TotalMicroseconds);
        var procGateway = Median(results["Process"], m => m.GatewayMicroseconds);
        var procHosts = Median(results["Process"], m => m.HostMicroseconds);
        var rate = Median(results["Process"], m => m.CallsPerSecond) / Median(results["InProcess"], m => m.CallsPerSecond);
        Console.WriteLine($"median CPU per call: InProcess {inProc:0.0} µs; Process {proc:0.0} µs (gateway {procGateway:0.0} + hosts {procHosts:0.0}); round trip {proc - inProc:0.0} µs; calls/s Process/InProcess {rate:0.00}; load average {LoadAverage()}");
        Console.WriteLine($"least CPU per call (the round least disturbed by other work): InProcess {inProcMin:0.0} µs; Process {procMin:0.0} µs; round trip {procMin - inProcMin:0.0} µs");
        return 0;
    }

    private static Probe Create(string isolation) => new(GatewayHost.Create(new Dictionary<string, string?>
    {
        ["Gateway:Transforms:Isolation"] = isolation,
        ["Gateway:Transforms:Routes:alert-arr:Transforms:0"] = "slack-alert.csx",
        ["Gateway:Transforms:Routes:alert-arr:Transforms:1"] = "arr.csx",
        // Bindings name routes the proxy defines (checked at start-up): the one this meter answers for.
        ["ReverseProxy:Routes:alert-arr:ClusterId"] = "demo",
        ["ReverseProxy:Routes:alert-arr:Match:Path"] = "/alert-arr/{**catch-all}",
        ["Gateway:Webhooks:Default"] = "slack",
        ["Gateway:Webhooks:Destinations:slack:Kind"] = "Slack",
    }));

    private static async Task<Measurement> MeasureAsync(Probe probe, int calls, int concurrency)
    {
        var pids = probe.HostProcessIds();
        var gatewayBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var hostsBefore = HostsCpu(pids);
        var itemsBefore = ThreadPool.CompletedWorkItemCount;
        var bytesBefore = GC.GetTotalAllocatedBytes(precise: false);
        var switchesBefore = ContextSwitches(Environment.ProcessId);
        var hostSwitchesBefore = pids.Sum(ContextSwitches);
        var clock = Stopwatch.StartNew();
        var remaining = calls;
        var untransformed = 0;
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var context = WrkRequest.NewContext();
            while (Interlocked.Decrement(ref remaining) >= 0)
            {
                await probe.RespondAsync(context);

                // arr.csx sets this header: without it, the chain did not run (a host was busy, gone or quarantined).
                if (!context.Response.Headers.ContainsKey("x-some-header"))
                {
                    Interlocked.Increment(ref untransformed);
                }

                context.Response.Headers.Clear();
            }
        }));
        await Task.WhenAll(workers);
        clock.Stop();
        var gateway = Process.GetCurrentProcess().TotalProcessorTime - gatewayBefore;
        var hosts = HostsCpu(pids) - hostsBefore;
        return new Measurement(
            calls / clock.Elapsed.TotalSeconds,
            gateway.TotalMicroseconds / calls,
            hosts.TotalMicroseconds / calls,
            untransformed)
        {
            GatewayWorkItems = (double)(ThreadPool.CompletedWorkItemCount - itemsBefore) / calls,
            GatewayBytes = (double)(GC.GetTotalAllocatedBytes(precise: false) - bytesBefore) / calls,
            GatewaySwitches = (double)(ContextSwitches(Environment.ProcessId) - switchesBefore) / calls,
            HostSwitches = (double)(pids.Sum(ContextSwitches) - hostSwitchesBefore) / calls,
        };
    }

    // Voluntary and involuntary context switches of every thread of a process (Linux; 0 elsewhere or when it is gone).
    private static long ContextSwitches(int pid)
    {
        var total = 0L;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                        {
                            total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                        }
                    }
                }
                catch (IOException)
                {
                    // The thread ended between the listing and the read.
                }
            }
        }
        catch (IOException)
        {
            // The process is gone, or this is not Linux.
        }

        return total;
    }

    private static TimeSpan HostsCpu(int[] pids)
    {
        var total = TimeSpan.Zero;
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                total += process.TotalProcessorTime;
            }
            catch (ArgumentException)
            {
                // Gone.
            }
        }

        return total;
    }

    private static double Median(List<Measurement> list, Func<Measurement, double> pick)
    {
        var sorted = list.Select(pick).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed record Measurement(double CallsPerSecond, double GatewayMicroseconds, double HostMicroseconds, int Untransformed)
    {
        public double TotalMicroseconds => GatewayMicroseconds + HostMicroseconds;

        public double GatewayWorkItems { get; init; }

        public double GatewayBytes { get; init; }

        public double GatewaySwitches { get; init; }

        public double HostSwitches { get; init; }
    }

    private sealed class Probe(GatewayHost host) : IAsyncDisposable
    {
        private readonly Endpoint _endpoint = new(null, new EndpointMetadataCollection(
            new RouteModel(new RouteConfig { RouteId = "alert-arr", ClusterId = "upstream" }, new ClusterState("upstream"), HttpTransformer.Default)), "alert-arr");

        // Every host of the pool, the spare too: an idle spare costs nothing, and a replaced host's time is not lost.
        public int[] HostProcessIds() =>
            host.Services.GetService<TransformHostPool>() is { } pool ? [.. pool.Hosts.Select(h => h.ProcessId)] : [];

        public async Task RespondAsync(DefaultHttpContext context)
        {
            // What the API-key challenge leaves before the exit middleware takes over.
            context.SetEndpoint(_endpoint);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Key realm=\"gateway\"";
            using (host.Diagnostics.BeginCollection())
            {
                await host.Responder.RespondAsync(context, Unauthorized);
            }

            host.DrainWebhooks();
        }

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }
}
