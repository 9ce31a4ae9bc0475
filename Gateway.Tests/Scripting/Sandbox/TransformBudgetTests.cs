using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Sandbox;
using Gateway.Scripting.Testing;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scripting.Sandbox;

/// <summary>
/// The execution budget on real runaway scripts (Gateway.Tests/Fixtures/Sandbox): each is stopped, the response
/// stays as it was, and repeat offenders are quarantined. Bounds are generous: these machines are shared.
/// </summary>
[Collection(BudgetGroup.Name)]
public sealed class TransformBudgetTests(SandboxTestFolder folder) : IClassFixture<SandboxTestFolder>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(3);

    /// <summary>A deadline (10 ms + 20 ms grace) far shorter than slow-library-call.csx's call.</summary>
    private static TransformBudgetOptions ShortDeadline() =>
        new() { WallTime = TimeSpan.FromMilliseconds(10), Grace = TimeSpan.FromMilliseconds(20) };

    [Theory]
    [InlineData("spin.csx", BudgetBreach.Time)]
    [InlineData("spin-catch-all.csx", BudgetBreach.Time)]
    [InlineData("recursion.csx", BudgetBreach.CallDepth)]
    [InlineData("allocation-bomb.csx", BudgetBreach.Memory)]
    [InlineData("giant-array.csx", BudgetBreach.Memory)]
    public async Task RunAsync_RunawayScript_IsStoppedAndTheResponseStaysAsItWas(string fixture, BudgetBreach breach)
    {
        var transform = Fixture(fixture);

        // Where memory is the limit under test, time is made plentiful, so that a busy machine cannot meet the
        // time limit first.
        var runner = new TransformRunner(new RecordingWebhookSender(), budget: breach == BudgetBreach.Memory
            ? new TransformBudgetOptions { MaxAllocatedBytes = 1024 * 1024, WallTime = TimeSpan.FromSeconds(10) }
            : new TransformBudgetOptions());
        var clock = Stopwatch.StartNew();

        var result = await runner.RunAsync([transform], NotFound(), TestExits.Request());

        Assert.True(clock.Elapsed < Generous, $"took {clock.Elapsed}");
        var failure = Assert.Single(result.Failures);
        Assert.Equal(breach, Assert.IsType<TransformBudgetExceededException>(failure.Exception).Breach);

        // On a busy machine, unwinding a time breach can itself outlast the grace period: the runner then
        // answers first, which is as good for the client but leaves no line to report.
        if (!(breach == BudgetBreach.Time && failure.Kind == TransformFailureKind.Runaway))
        {
            Assert.Equal(TransformFailureKind.Budget, failure.Kind);
            Assert.True(failure.Line > 0, "the breach names a line of the script");
        }
        Assert.Equal(404, result.Response.Status);
        Assert.Equal("{\"message\":\"m\"}", result.Response.Body!.ToJsonString());
    }

    [Fact]
    public async Task RunAsync_CatastrophicRegex_IsCutAtTheBudgetNotItsOwnTimeout()
    {
        var runner = new TransformRunner(new RecordingWebhookSender());
        var clock = Stopwatch.StartNew();

        var result = await runner.RunAsync([Fixture("catastrophic-regex.csx")], NotFound(), TestExits.Request());

        Assert.True(clock.Elapsed < Generous, $"took {clock.Elapsed}");
        Assert.Equal(TransformFailureKind.Budget, Assert.Single(result.Failures).Kind);
        Assert.Equal(404, result.Response.Status);
    }

    [Fact]
    public async Task RunAsync_LongLibraryCall_AnswersAtTheDeadlineWithoutWaitingForIt()
    {
        var runner = new TransformRunner(new RecordingWebhookSender(), budget: ShortDeadline());
        var transform = Fixture("slow-library-call.csx");

        await NothingInHandAsync();
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync([transform], NotFound(), TestExits.Request());
        clock.Stop();

        // Runaway means the call was still running at the deadline, and the chain answered without it.
        var failure = Assert.Single(result.Failures);
        Assert.Equal(TransformFailureKind.Runaway, failure.Kind);
        Assert.True(transform.Isolated, "a version once stuck runs on the dedicated script threads from then on");
        Assert.Equal(404, result.Response.Status);
        Assert.Null(result.Response.Text);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_RunawayInTheMiddleOfAChain_TheRestRunsFromTheResponseBeforeIt()
    {
        var runner = new TransformRunner(new RecordingWebhookSender(), budget: ShortDeadline());
        var before = folder.Compile("before-runaway.csx", "Headers[\"x-before\"] = \"ran\";").Transform!;
        var after = folder.Compile("after-runaway.csx", "Headers[\"x-after\"] = Headers[\"x-before\"] ?? \"missing\";").Transform!;

        var slow = Fixture("slow-library-call.csx");
        await NothingInHandAsync();
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync([before, slow, after], NotFound(), TestExits.Request());
        clock.Stop();

        Assert.True(result.Failures.Count == 1, $"after {clock.Elapsed}: [{string.Join("; ", result.Failures)}], text {result.Response.Text}");
        Assert.Equal(TransformFailureKind.Runaway, result.Failures[0].Kind);
        Assert.Equal("slow-library-call.csx", result.Failures[0].Transform);
        Assert.Equal("ran", result.Response.Headers["x-after"]);
        Assert.Null(result.Response.Text);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task RunAsync_EveryScriptThreadHeld_IsolatedChainIsAnsweredWithoutAtTheDeadline()
    {
        var holder = new TransformRunner(new RecordingWebhookSender(), budget: new TransformBudgetOptions { WallTime = TimeSpan.FromSeconds(30), MaxAllocatedBytes = 256 * 1024 * 1024 });
        var runner = new TransformRunner(new RecordingWebhookSender(), budget: ShortDeadline());
        var slow = Fixture("slow-library-call.csx");
        var quick = folder.Compile("quick.csx", "Status = 418;").Transform!;
        var pooled = folder.Compile("pooled.csx", "Status = 418;").Transform!;

        // Versions once stuck run on the dedicated script threads; the others on the thread pool.
        slow.Isolated = true;
        quick.Isolated = true;

        await NothingInHandAsync();

        // Slow library calls (seconds each) under a budget long enough to let them finish hold every thread.
        var held = Enumerable.Range(0, ScriptThreads.Shared.Count).Select(_ => holder.RunAsync([slow], NotFound(), TestExits.Request())).ToList();

        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync([quick, quick], NotFound(), TestExits.Request());
        clock.Stop();

        Assert.Equal(404, result.Response.Status);
        Assert.Equal(2, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.Contains("No thread picked the transform up", f.Exception.Message, StringComparison.Ordinal));
        Assert.All(result.Failures, f => Assert.Equal(TransformFailureKind.NotRun, f.Kind));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"answered after {clock.Elapsed}");

        // Transforms never stuck do not wait for the script threads.
        var unaffected = await runner.RunAsync([pooled], NotFound(), TestExits.Request());
        Assert.Empty(unaffected.Failures);
        Assert.Equal(418, unaffected.Response.Status);

        // The held runs themselves finish, unharmed.
        Assert.All(await Task.WhenAll(held), r => Assert.Empty(r.Failures));
    }

    [Fact]
    public async Task RunAsync_RunawayWhileLoggingIsBroken_TheRequestStillGoesOnAndTheProcessLives()
    {
        using var broken = new BrokenLoggerFactory();
        var runner = new TransformRunner(new RecordingWebhookSender(), broken, ShortDeadline());

        var slow = Fixture("slow-library-call.csx");

        await NothingInHandAsync();
        var clock = Stopwatch.StartNew();
        var result = await runner.RunAsync([slow], NotFound(), TestExits.Request()).WaitAsync(TimeSpan.FromSeconds(10));
        clock.Stop();

        // The watchdog's log of the runaway threw; the request was answered at the deadline all the same.
        Assert.Equal(404, result.Response.Status);
        Assert.Null(result.Response.Text);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"answered after {clock.Elapsed}");

        // And the watchdog still watches: the next runaway is cut too.
        var next = await new TransformRunner(new RecordingWebhookSender(), budget: ShortDeadline())
            .RunAsync([Fixture("slow-library-call.csx")], NotFound(), TestExits.Request());
        Assert.Equal(TransformFailureKind.Runaway, Assert.Single(next.Failures).Kind);
    }

    private sealed class BrokenLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
    {
        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            throw new InvalidOperationException("the log sink is down");

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task RunAsync_RepeatedBreaches_QuarantineTheVersionUntilItsFileChanges()
    {
        var runner = new TransformRunner(new RecordingWebhookSender(), budget: new TransformBudgetOptions { QuarantineAfter = 3 });
        var spin = Fixture("spin.csx");

        // A breach counts when the run really spent its time on the CPU; on a busy machine one may not.
        var runs = 0;
        TransformChainResult result;
        do
        {
            result = await runner.RunAsync([spin], NotFound(), TestExits.Request());
            runs++;
        }
        while (Assert.Single(result.Failures).Kind != TransformFailureKind.Quarantined && runs < 20);

        Assert.InRange(runs, 4, 19);
        var clock = Stopwatch.StartNew();
        var quarantined = await runner.RunAsync([spin], NotFound(), TestExits.Request());
        Assert.Equal(TransformFailureKind.Quarantined, Assert.Single(quarantined.Failures).Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), "a quarantined transform is skipped, not run");

        var edited = Fixture("spin.csx");
        Assert.Equal(TransformFailureKind.Budget, Assert.Single((await runner.RunAsync([edited], NotFound(), TestExits.Request())).Failures).Kind);
    }

    [Fact]
    public async Task RunAsync_BreachedTransform_DoesNotStopTheNextOne()
    {
        var runner = new TransformRunner(new RecordingWebhookSender());
        var next = folder.Compile("after-spin.csx", "Headers[\"x-after\"] = \"ran\";");

        var result = await runner.RunAsync([Fixture("spin-catch-all.csx"), next.Transform!], NotFound(), TestExits.Request());

        Assert.Single(result.Failures);
        Assert.Equal("ran", result.Response.Headers["x-after"]);
    }

    /// <summary>
    /// Waits until no run is in hand: a runaway of an earlier test still holds its thread (a pool thread, the first
    /// time a version is stuck) until its call returns, and on two cores that delays what a test times.
    /// </summary>
    private static async Task NothingInHandAsync()
    {
        var idle = Stopwatch.StartNew();
        while (ScriptWatchdog.InHand > 0 && idle.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }
    }

    private CompiledTransform Fixture(string name)
    {
        var compilation = folder.Compile(name, File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, "Sandbox", name)));
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
        return compilation.Transform!;
    }

    private static ExitResponse NotFound() => new(404, new JsonObject { ["message"] = "m" }, null, new ResponseHeaders());
}
