using System.Diagnostics;
using System.Globalization;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Isolation;

/// <summary>
/// The gateway as an operator runs it: its own OS process (<c>dotnet Gateway.dll</c>), stopped by SIGTERM while a
/// transform host is stuck in a library call that never returns. The gateway must end within its shutdown
/// timeouts, and no transform-host process may outlive it.
/// </summary>
public sealed class GatewayShutdownTests(ITestOutputHelper log)
{
    private static readonly TimeSpan HostShutdownTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan WebhookDrainTimeout = TimeSpan.FromSeconds(1);

    /// <summary>What the test allows beyond the shutdown timeouts for a loaded machine to end a process.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Sigterm_WithAHostStuckInALibraryCall_EndsTheGatewayAndEveryHost()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-sigterm-").FullName;
        var port = LoopbackServer.ClosedPort();
        Process? gateway = null;
        try
        {
            var transforms = Directory.CreateDirectory(Path.Combine(folder, "Transforms")).FullName;
            await File.WriteAllTextAsync(Path.Combine(transforms, "hostile.csx"), HostileTransforms.LibraryCallThatNeverReturns);
            await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), "{}");

            // The call outlasts everything: neither its budget nor the reply margin answers it before the signal.
            var settings = GatewaySettings.For(new Uri($"http://127.0.0.1:{LoopbackServer.ClosedPort()}/")).WithRoute("down", "hostile.csx");
            settings["Urls"] = $"http://127.0.0.1:{port}";
            settings["Gateway:Management:Urls"] = string.Empty;
            settings["Gateway:Transforms:Path"] = transforms;
            settings["Gateway:Transforms:Budget:WallTime"] = "00:05:00";
            settings["Gateway:Transforms:Hosts:ReplyMargin"] = "00:05:00";
            settings["Gateway:Transforms:Hosts:ShutdownTimeout"] = HostShutdownTimeout.ToString();
            settings["Gateway:Webhooks:DrainTimeout"] = WebhookDrainTimeout.ToString();

            gateway = ChildProcess.StartGateway(folder, settings);
            var output = new OutputTail(gateway);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Timeout.InfiniteTimeSpan };
            await WaitUntilServingAsync(client, gateway, output);
            var hosts = ChildrenOf(gateway.Id);
            Assert.True(hosts.Count >= 2, $"expected a serving host and a spare, found {hosts.Count}: {output}");

            // A request goes into a host and stays there: that host burns CPU in the call.
            var cpuBefore = hosts.ToDictionary(id => id, CpuTicks);
            var pending = client.GetAsync("/down/stuck");
            await WaitUntilAsync(() => hosts.Any(id => CpuTicks(id) - cpuBefore[id] >= 50), TimeSpan.FromSeconds(120), "no host got stuck in the call");
            Assert.False(pending.IsCompleted, "the stuck request was answered before the signal");

            var clock = Stopwatch.StartNew();
            ChildProcess.Signal(gateway.Id, "TERM");
            var exited = await WaitForExitAsync(gateway, ShutdownBound());
            clock.Stop();

            Assert.True(exited, $"the gateway still ran {clock.Elapsed} after SIGTERM: {output}");
            log.WriteLine($"The gateway ended {clock.Elapsed.TotalSeconds:0.0} s after SIGTERM (bound {ShutdownBound().TotalSeconds:0} s).");
            foreach (var id in hosts)
            {
                Assert.False(IsRunning(id), $"transform host {id} outlived the gateway, which ended {clock.Elapsed} after SIGTERM: {StatText(id)}{Environment.NewLine}{output}");
            }
        }
        finally
        {
            if (gateway is { HasExited: false })
            {
                gateway.Kill(entireProcessTree: true);
            }

            gateway?.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The gateway's own shutdown timeout (the webhook drain plus its margin, above .NET's default of 30 s only if
    /// longer) and the hosts' after it, plus a margin for a loaded machine.
    /// </summary>
    private static TimeSpan ShutdownBound() =>
        TimeSpan.FromSeconds(Math.Max(30, (WebhookDrainTimeout + Gateway.Webhooks.WebhookShutdownTimeout.Margin).TotalSeconds))
        + HostShutdownTimeout + Margin;

    private static async Task WaitUntilServingAsync(HttpClient client, Process gateway, OutputTail output)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(gateway.HasExited, $"the gateway ended at start-up: {output}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(180), $"the gateway did not serve within 180 s: {output}");
            try
            {
                using var response = await client.GetAsync("/open/ready");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<bool> WaitForExitAsync(Process process, TimeSpan bound)
    {
        using var timeout = new CancellationTokenSource(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The processes whose parent is <paramref name="parent"/>, from /proc.</summary>
    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var id) && Stat(id) is { } stat && stat.Parent == parent)
            {
                children.Add(id);
            }
        }

        return children;
    }

    private static long CpuTicks(int processId) => Stat(processId)?.CpuTicks ?? 0;

    /// <summary>Parent and user+system CPU ticks from /proc/PID/stat; <see langword="null"/> once the process is gone.</summary>
    private static (int Parent, long CpuTicks)? Stat(int processId)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name, in parentheses, may hold spaces: fields are counted after its closing one.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
    }

    private static string StatText(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (IOException)
        {
            return "(gone)";
        }
    }

    private static bool IsRunning(int processId) =>
        Stat(processId) is not null && !File.ReadAllText($"/proc/{processId}/stat").Contains(") Z ", StringComparison.Ordinal);

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan bound, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < bound, failure);
            await Task.Delay(100);
        }
    }

    /// <summary>The last lines the gateway wrote, for a failure's message.</summary>
    private sealed class OutputTail
    {
        private readonly Queue<string> _lines = new();

        public OutputTail(Process process)
        {
            process.OutputDataReceived += (_, e) => Add(e.Data);
            process.ErrorDataReceived += (_, e) => Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return string.Join(Environment.NewLine, _lines);
            }
        }

        private void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > 40)
                {
                    _lines.Dequeue();
                }
            }
        }
    }
}
