using System.Diagnostics;
using System.Net;
using Gateway.Isolation;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Isolation;

/// <summary>
/// Hostile transforms on a live gateway whose transforms run in transform hosts (the default): whatever the
/// transform does, the client gets a well-formed answer in time, the gateway lives on and keeps serving, and the
/// offender is quarantined after repeats. The gateway runs in this test process: were it to die, so would the run.
/// </summary>
[Collection(BudgetGroup.Name)]
public sealed class TransformHostTests : IAsyncLifetime
{
    private static readonly TimeSpan Answered = TimeSpan.FromSeconds(10);
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Theory]
    [InlineData(nameof(HostileTransforms.StackOverflowInGeneratedCode))]
    [InlineData(nameof(HostileTransforms.StackOverflowInFieldInitializer))]
    [InlineData(nameof(HostileTransforms.LibraryCallThatNeverReturns))]
    [InlineData(nameof(HostileTransforms.CallbackAfterTheRun))]
    [InlineData(nameof(HostileTransforms.MemoryBetweenChecks))]
    public async Task HostileTransform_ClientIsAnswered_GatewayServesOn_OffenderQuarantined(string hostile)
    {
        await using var gateway = await StartAsync(hostile);
        var pool = gateway.Service<TransformHostPool>();
        var firstHost = pool.Hosts[0].ProcessId;

        // Each request meets the hostile transform; the route's other transform still runs after it.
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            using var failing = await gateway.Client.GetAsync($"/down/{i}").WaitAsync(Answered);
            clock.Stop();
            await HttpAssert.TerminationAsync(failing, HttpStatusCode.BadGateway, "The upstream server could not be reached");
            Assert.True(clock.Elapsed < Answered, $"answered after {clock.Elapsed}");

            using var healthy = await gateway.Client.GetAsync($"/open/{i}");
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        // Quarantined after two breaches (the test's QuarantineAfter): the next requests skip it and the marker runs.
        await gateway.Logs.WaitForAsync(e => e.MessageTemplate.Text.Contains("is quarantined", StringComparison.Ordinal));
        using (var afterQuarantine = await gateway.Client.GetAsync("/down/after"))
        {
            Assert.Equal("ran", Assert.Single(afterQuarantine.Headers.GetValues("x-marker")));
        }

        // And the pool is whole again, with live hosts, whichever were replaced.
        Assert.True(pool.IsReady);
        Assert.All(pool.Hosts, host => Assert.True(host.IsServing));
        if (hostile != nameof(HostileTransforms.MemoryBetweenChecks))
        {
            Assert.DoesNotContain(pool.Hosts, host => host.ProcessId == firstHost);
        }
    }

    [Fact]
    public async Task StackOverflow_IsChargedToTheTransformThatRan_AndTheHostsEndLogged()
    {
        await using var gateway = await StartAsync(nameof(HostileTransforms.StackOverflowInGeneratedCode));

        using var response = await gateway.Client.GetAsync("/down/x");

        await HttpAssert.TerminationAsync(response, HttpStatusCode.BadGateway, "The upstream server could not be reached");

        // The host's watchdog gives the overflowing run up while the runtime reports the overflow (or the host dies
        // first): either way the hostile transform is charged, and the host's own last words are logged.
        var charged = await gateway.Logs.WaitForAsync(e => e.Properties.ContainsKey("Transform") && e.Level == Serilog.Events.LogEventLevel.Error
            && e.MessageTemplate.Text.Contains("{TransformFile}", StringComparison.Ordinal));
        Assert.Equal("\"hostile.csx\"", charged.Properties["Transform"].ToString());
        await gateway.Logs.WaitForAsync(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("Stack overflow", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task MemoryBomb_StaysInTheHost_TheGatewaysMemoryDoesNotGrow()
    {
        await using var gateway = await StartAsync(nameof(HostileTransforms.MemoryBetweenChecks));
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var before = self.WorkingSet64;

        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.GetAsync($"/down/{i}");
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        self.Refresh();
        var grown = self.WorkingSet64 - before;
        Assert.True(grown < 200L * 1024 * 1024, $"the gateway's process grew by {grown / (1024 * 1024)} MB");
        var breach = await gateway.Logs.WaitForAsync(e => e.Properties.TryGetValue("BudgetBreach", out var kind) && kind.ToString() == "Memory"
            || e.MessageTemplate.Text.Contains("crashed while running", StringComparison.Ordinal));
        Assert.NotNull(breach);
    }

    [Fact]
    public async Task HostKilledFromOutside_MidRequest_IsReplaced_AndTheRequestAnswered()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("down", "slow.csx", "marker.csx");
        settings["Gateway:Transforms:Budget:WallTime"] = "00:00:03";
        await using var gateway = await TestGateway.StartAsync(settings, [], files: new Dictionary<string, string>
        {
            // A well-behaved but slow transform: it spins within its budget, giving the test time to kill its host.
            ["slow.csx"] = "var until = DateTime.UtcNow.AddSeconds(2); while (DateTime.UtcNow < until) { }\nHeaders[\"x-slow\"] = \"done\";",
            ["marker.csx"] = HostileTransforms.Marker,
        });
        var pool = gateway.Service<TransformHostPool>();
        var victim = pool.Hosts[0];

        var pending = gateway.Client.GetAsync("/down/killed");
        await WaitUntilAsync(() => victim.InFlight > 0);
        Process.GetProcessById(victim.ProcessId).Kill();

        using var response = await pending.WaitAsync(Answered);
        await HttpAssert.TerminationAsync(response, HttpStatusCode.BadGateway, "The upstream server could not be reached");
        await WaitUntilAsync(() => pool.Hosts.All(h => h.IsServing && h.ProcessId != victim.ProcessId));

        using var next = await gateway.Client.GetAsync("/down/next");
        Assert.Equal("done", Assert.Single(next.Headers.GetValues("x-slow")));
        Assert.Equal("ran", Assert.Single(next.Headers.GetValues("x-marker")));
    }

    [Fact]
    public async Task FrozenHost_CallsFillItsSocket_RequestsAreStillAnsweredAtTheirDeadline_AndNoTransformIsCharged()
    {
        // One serving host, frozen (SIGSTOP): it reads nothing, so the calls sent to it fill its socket's buffer.
        // Request threads write their calls themselves; none may wait on the frozen host. Each request is answered
        // at its deadline without the chain, long before the kill deadline frees the host's socket.
        var settings = OneHostSettings();
        settings["Gateway:Transforms:Budget:WallTime"] = "00:00:00.100";
        settings["Gateway:Transforms:Budget:Grace"] = "00:00:00.100";
        settings["Gateway:Transforms:Hosts:ReplyMargin"] = "00:00:00.200";
        settings["Gateway:Transforms:Hosts:KillDeadline"] = "00:00:30";
        await using var gateway = await TestGateway.StartAsync(settings, [], files: MarkerOnly());
        var pool = gateway.Service<TransformHostPool>();
        var frozen = pool.Hosts[0].ProcessId;
        using (var warm = await gateway.Client.GetAsync("/down/warm"))
        {
            Assert.Equal("ran", Assert.Single(warm.Headers.GetValues("x-marker")));
        }

        ChildProcess.Signal(frozen, "STOP");
        try
        {
            // 96 calls of 16 KB each (the request's headers travel in the call): well past a socket's buffer.
            var clock = Stopwatch.StartNew();
            var requests = Enumerable.Range(0, 96).Select(async i =>
            {
                using var response = await SendLargeAsync(gateway, $"/down/frozen/{i}");
                await HttpAssert.TerminationAsync(response, HttpStatusCode.BadGateway, "The upstream server could not be reached");
                Assert.False(response.Headers.Contains("x-marker"));
            }).ToList();

            using (var healthy = await gateway.Client.GetAsync("/open/while-frozen"))
            {
                Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            }

            await Task.WhenAll(requests).WaitAsync(Answered);
            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the calls to a frozen host were answered after {clock.Elapsed}");
        }
        finally
        {
            ChildProcess.Signal(frozen, "CONT");
        }

        // The frozen host had started none of those calls: its stall is not held against the transform they were
        // to run (96 breaches would have quarantined it), and the host that replaced it runs it.
        Assert.DoesNotContain(gateway.Logs.Events, e => e.MessageTemplate.Text.Contains("is quarantined", StringComparison.Ordinal));
        Assert.NotEqual(frozen, pool.Hosts[0].ProcessId);
        using var after = await gateway.Client.GetAsync("/down/after");
        Assert.Equal("ran", Assert.Single(after.Headers.GetValues("x-marker")));
    }

    [Fact]
    public async Task ChattyTransform_ReplyIsBounded_AndWhatWasDroppedIsSaid()
    {
        var settings = Settings(nameof(HostileTransforms.Chatty));
        settings["Gateway:Transforms:Budget:WallTime"] = "00:00:05";
        await using var gateway = await TestGateway.StartAsync(settings, [], files: Files(nameof(HostileTransforms.Chatty)));

        using var response = await gateway.Client.GetAsync("/down/chatty");

        await HttpAssert.TerminationAsync(response, HttpStatusCode.BadGateway, "The upstream server could not be reached");
        Assert.Equal("ran", Assert.Single(response.Headers.GetValues("x-marker")));
        var dropped = await gateway.Logs.WaitForAsync(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)
            .Contains("4900 log entries and 4900 webhook messages were dropped", StringComparison.Ordinal));
        Assert.Equal("\"hostile.csx\"", dropped.Properties["Transform"].ToString());
        var lines = gateway.Logs.Events.Count(e => e.RenderMessage(System.Globalization.CultureInfo.InvariantCulture).StartsWith("line ", StringComparison.Ordinal));
        Assert.Equal(100, lines);
    }

    [Fact]
    public async Task Readyz_NamesTheTransformHosts_UpAndWarm()
    {
        await using var gateway = await StartAsync(nameof(HostileTransforms.Marker));

        using var ready = await gateway.Management.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Contains("transform-hosts", body, StringComparison.Ordinal);
        Assert.Contains(gateway.Service<TransformHostPool>().Hosts[0].ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyReloads_EveryVersionReachesTheHost_AndItsMemoryStaysFlat()
    {
        // A generous budget: this test is about memory, and the machine may be busy.
        var settings = Settings(nameof(HostileTransforms.Marker));
        settings["Gateway:Transforms:Budget:WallTime"] = "00:00:05";
        await using var gateway = await TestGateway.StartAsync(settings, [], files: Files(nameof(HostileTransforms.Marker)));
        var pool = gateway.Service<TransformHostPool>();
        var host = pool.Hosts[0];
        var compiler = new Gateway.Scripting.Compilation.TransformCompiler(gateway.TransformsFolder);
        var response = new Gateway.Scripting.Execution.ExitResponse(404, null, null, new Gateway.Scripting.ResponseHeaders());

        // What a hot reload does with each new version: prepare it, run it, release the one it replaced.
        async Task ReloadAsync(int versions, int first)
        {
            for (var i = first; i < first + versions; i++)
            {
                var version = compiler.Compile(Path.Combine(gateway.TransformsFolder, "reloaded.csx"), $"Headers[\"x-version\"] = \"{i}\";").Transform!;
                pool.Prepare(version);
                var result = await pool.RunAsync([version], response, TestExits.Request());
                Assert.Empty(result.Failures);
                Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Response.Headers["x-version"]);
                pool.Release(version);
            }
        }

        await ReloadAsync(20, 0);
        var before = ResidentKilobytes(host.ProcessId);
        await ReloadAsync(150, 20);
        var after = ResidentKilobytes(host.ProcessId);

        Assert.Same(host, pool.Hosts[0]);
        Assert.True(after - before < 64 * 1024, $"the host grew from {before / 1024} MB to {after / 1024} MB over 150 reloads");
        Console.WriteLine($"150 reloads through a transform host: its RSS {before / 1024} MB before, {after / 1024} MB after");
    }

    [Fact]
    public async Task ReleasedVersion_CallsInFlightAndLateCallsFinishOnIt_ThenTheHostLetsItGo()
    {
        var settings = Settings(nameof(HostileTransforms.Marker));
        settings["Gateway:Transforms:Budget:WallTime"] = "00:00:05";
        await using var gateway = await TestGateway.StartAsync(settings, [], files: Files(nameof(HostileTransforms.Marker)));
        var pool = gateway.Service<TransformHostPool>();
        var host = pool.Hosts[0];
        var compiler = new Gateway.Scripting.Compilation.TransformCompiler(gateway.TransformsFolder);
        var response = new Gateway.Scripting.Execution.ExitResponse(404, null, null, new Gateway.Scripting.ResponseHeaders());
        var loaded = host.LoadedVersions;

        // A version that works a while, released (as a swap does) while a call on it is in flight.
        const string Slow = "var n = 0L; for (var i = 0; i < 20_000_000; i++) { n += i % 7; } Headers[\"x-version\"] = \"slow\" + (n > 0 ? \"\" : \"!\");";
        var version = compiler.Compile(Path.Combine(gateway.TransformsFolder, "released.csx"), Slow).Transform!;
        pool.Prepare(version);
        var inFlight = pool.RunAsync([version], response, TestExits.Request());
        pool.Release(version);

        // A call that read the catalog before the swap and reaches the pool only after the release.
        var late = pool.RunAsync([version], response, TestExits.Request());

        foreach (var result in await Task.WhenAll(inFlight, late))
        {
            Assert.Empty(result.Failures);
            Assert.Equal("slow", result.Response.Headers["x-version"]);
        }

        // Once they are answered, the retired version is let go.
        Assert.Same(host, pool.Hosts[0]);
        Assert.Equal(loaded, host.LoadedVersions);
    }

    [Fact]
    public async Task Hosts_HaveNoSecretInTheirEnvironment()
    {
        const string Secret = "https://hooks.slack.example/services/T000/B000/very-secret";
        Environment.SetEnvironmentVariable("GATEWAY_TEST_SECRET", Secret);
        try
        {
            var settings = GatewaySettings.For(_upstream.Address).WithRoute("down", "marker.csx");
            settings["Gateway:Webhooks:Destinations:slack:Url"] = Secret;
            await using var gateway = await TestGateway.StartAsync(settings, [], files: MarkerOnly());
            using var response = await gateway.Client.GetAsync("/down/x");
            Assert.Equal("ran", Assert.Single(response.Headers.GetValues("x-marker")));

            foreach (var host in gateway.Service<TransformHostPool>().Hosts)
            {
                var environment = await File.ReadAllTextAsync($"/proc/{host.ProcessId}/environ");
                Assert.DoesNotContain("very-secret", environment, StringComparison.Ordinal);
                Assert.DoesNotContain("GATEWAY_TEST_SECRET", environment, StringComparison.Ordinal);
                Assert.Contains("DOTNET_GCHeapHardLimit=", environment, StringComparison.Ordinal);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("GATEWAY_TEST_SECRET", null);
        }
    }

    [Fact]
    public async Task CallStuckInALibraryCall_ItsHostAnswersAnotherCallMeanwhile()
    {
        // One serving host, and budgets long enough that neither the host's watchdog nor the gateway gives the stuck
        // call up during the test: the host's reader, which ran it, must hand its reading on.
        var settings = Settings(nameof(HostileTransforms.Marker));
        settings["Gateway:Transforms:Hosts:Count"] = "1";
        settings["Gateway:Transforms:Budget:WallTime"] = "00:01:00";
        settings["Gateway:Transforms:Hosts:ReplyMargin"] = "00:01:00";
        settings["Gateway:Transforms:Hosts:ShutdownTimeout"] = "00:00:01";
        await using var gateway = await TestGateway.StartAsync(settings, [], files: Files(nameof(HostileTransforms.Marker)));
        var pool = gateway.Service<TransformHostPool>();
        var host = pool.Hosts[0];
        var compiler = new Gateway.Scripting.Compilation.TransformCompiler(gateway.TransformsFolder);
        var response = new Gateway.Scripting.Execution.ExitResponse(404, null, null, new Gateway.Scripting.ResponseHeaders());
        var stuck = compiler.Compile(Path.Combine(gateway.TransformsFolder, "stuck.csx"), HostileTransforms.LibraryCallThatNeverReturns).Transform!;
        var fine = compiler.Compile(Path.Combine(gateway.TransformsFolder, "fine.csx"), HostileTransforms.Marker).Transform!;
        pool.Prepare(stuck);
        pool.Prepare(fine);

        var pending = pool.RunAsync([stuck], response, TestExits.Request());
        await WaitUntilAsync(() => host.InFlight > 0);
        var result = await pool.RunAsync([fine], response, TestExits.Request()).WaitAsync(Answered);

        Assert.Empty(result.Failures);
        Assert.Equal("ran", result.Response.Headers["x-marker"]);
        Assert.Same(host, pool.Hosts[0]);
        Assert.Equal(1, host.InFlight);
        Assert.False(pending.IsCompleted);
    }

    [Fact]
    public async Task Stop_WithAFrozenHostWhoseSocketIsFull_EndsWithinTheShutdownTimeout()
    {
        // A frozen host reads nothing: calls fill its socket, and the channel's last write never completes. Stopping
        // must not wait for that write past the host's shutdown timeout.
        var settings = OneHostSettings();
        settings["Gateway:Transforms:Hosts:KillDeadline"] = "00:01:00";
        settings["Gateway:Transforms:Hosts:ShutdownTimeout"] = "00:00:01";
        var gateway = await TestGateway.StartAsync(settings, [], files: MarkerOnly());
        var pool = gateway.Service<TransformHostPool>();
        var ids = pool.Hosts.Select(h => h.ProcessId).ToArray();
        foreach (var id in ids)
        {
            ChildProcess.Signal(id, "STOP");
        }

        var requests = Enumerable.Range(0, 64).Select(async i =>
        {
            using var response = await SendLargeAsync(gateway, $"/down/frozen/{i}");
        }).ToList();
        await WaitUntilAsync(() => pool.Hosts.Sum(h => h.InFlight) >= 32 || requests.All(r => r.IsCompleted));

        var clock = Stopwatch.StartNew();
        await gateway.DisposeAsync();
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed}");
        foreach (var id in ids)
        {
            Assert.False(IsRunning(id), $"host process {id} outlived the gateway");
        }
    }

    [Fact]
    public async Task Stop_WithAHostStuckInALibraryCall_EndsWithinTheShutdownTimeout()
    {
        var settings = Settings(nameof(HostileTransforms.LibraryCallThatNeverReturns));
        settings["Gateway:Transforms:Budget:WallTime"] = "00:01:00";
        settings["Gateway:Transforms:Hosts:ReplyMargin"] = "00:01:00";
        settings["Gateway:Transforms:Hosts:ShutdownTimeout"] = "00:00:01";
        var gateway = await TestGateway.StartAsync(settings, [], files: Files(nameof(HostileTransforms.LibraryCallThatNeverReturns)));
        var pool = gateway.Service<TransformHostPool>();
        var pending = gateway.Client.GetAsync("/down/stuck");
        await WaitUntilAsync(() => pool.Hosts[0].InFlight > 0);
        var ids = pool.Hosts.Select(h => h.ProcessId).ToArray();

        var clock = Stopwatch.StartNew();
        await gateway.DisposeAsync();
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {clock.Elapsed}");
        foreach (var id in ids)
        {
            Assert.False(IsRunning(id), $"host process {id} outlived the gateway");
        }

        await Assert.ThrowsAnyAsync<Exception>(() => pending);
    }

    // One serving host (and the spare) for route "down", which runs marker.csx.
    private Dictionary<string, string?> OneHostSettings()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("down", "marker.csx");
        settings["Gateway:Transforms:Hosts:Count"] = "1";
        return settings;
    }

    private static Dictionary<string, string> MarkerOnly() => new() { ["marker.csx"] = HostileTransforms.Marker };

    // A request whose call to a host is large: 16 KB of header (the request's headers travel in the call).
    private static async Task<HttpResponseMessage> SendLargeAsync(TestGateway gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-filler", new string('f', 16 * 1024));
        return await gateway.Client.SendAsync(request);
    }

    private async Task<TestGateway> StartAsync(string hostile) =>
        await TestGateway.StartAsync(Settings(hostile), [], files: Files(hostile));

    private Dictionary<string, string?> Settings(string hostile)
    {
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("down", "hostile.csx", "marker.csx");
        settings["Gateway:Transforms:Budget:WallTime"] = hostile == nameof(HostileTransforms.MemoryBetweenChecks) ? "00:00:05" : "00:00:00.050";
        settings["Gateway:Transforms:Budget:Grace"] = "00:00:00.100";
        settings["Gateway:Transforms:Budget:QuarantineAfter"] = "2";
        settings["Gateway:Transforms:Hosts:KillDeadline"] = "00:00:00.500";
        return settings;
    }

    private static Dictionary<string, string> Files(string hostile) => new()
    {
        ["hostile.csx"] = (string)typeof(HostileTransforms).GetField(hostile)!.GetValue(null)!,
        ["marker.csx"] = HostileTransforms.Marker,
    };

    private static long ResidentKilobytes(int processId) =>
        long.Parse(
            File.ReadLines($"/proc/{processId}/status").First(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsRunning(int id)
    {
        try
        {
            using var process = Process.GetProcessById(id);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the condition did not hold in time");
            await Task.Delay(20);
        }
    }
}
