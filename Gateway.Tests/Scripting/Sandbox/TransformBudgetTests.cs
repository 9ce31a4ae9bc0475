using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Sandbox;
using Gateway.Scripting.Testing;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Scripting.Execution;
using Gateway.Tests.Scripting;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Scripting.Sandbox;

/// <summary>
/// The execution budget on real runaway scripts (Gateway.Tests/Fixtures/Sandbox): each is stopped, the response
/// stays as it was, and repeat offenders are quarantined. Each test has runners, so threads and a watchdog, of its
/// own: they run beside the other tests. Bounds are generous: these machines are shared.
/// </summary>
public sealed class TransformBudgetTests(SandboxTestFolder folder) : IClassFixture<SandboxTestFolder>
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A deadline for slow-library-call.csx: its first two lines (28 MB of strings, budgeted for) pass the wall
    /// time's checks, and its one long expression (a second or more of collation) is still running at
    /// WallTime + Grace, where no woven check can stop it: only the watchdog.
    /// </summary>
    private static TransformBudgetOptions ShortDeadline() =>
        new() { WallTime = TimeSpan.FromMilliseconds(300), Grace = TimeSpan.FromMilliseconds(100), MaxAllocatedBytes = 256 * 1024 * 1024 };

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
        using var runner = new TransformRunner(new RecordingWebhookSender(), budget: breach == BudgetBreach.Memory
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
        using var runner = new TransformRunner(new RecordingWebhookSender());
        var clock = Stopwatch.StartNew();

        var result = await runner.RunAsync([Fixture("catastrophic-regex.csx")], NotFound(), TestExits.Request());

        Assert.True(clock.Elapsed < Generous, $"took {clock.Elapsed}");
        Assert.Equal(TransformFailureKind.Budget, Assert.Single(result.Failures).Kind);
        Assert.Equal(404, result.Response.Status);
    }

    [Fact]
    public async Task RunAsync_LongLibraryCall_AnswersAtTheDeadlineWithoutWaitingForIt()
    {
        using var runner = new TransformRunner(new RecordingWebhookSender(), budget: ShortDeadline());
        var transform = Fixture("slow-library-call.csx");

        var result = await runner.RunAsync([transform], NotFound(), TestExits.Request());

        // Runaway means the call was still running when the watchdog answered without it: an order, not a time.
        var failure = Assert.Single(result.Failures);
        Assert.True(failure.Kind == TransformFailureKind.Runaway, $"{failure.Kind}: {failure}");
        Assert.True(transform.Isolated, "a version once stuck runs on the dedicated script threads from then on");
        Assert.Equal(404, result.Response.Status);
        Assert.Null(result.Response.Text);
    }

    [Fact]
    public async Task RunAsync_RunawayInTheMiddleOfAChain_TheRestRunsFromTheResponseBeforeIt()
    {
        using var runner = new TransformRunner(new RecordingWebhookSender(), budget: ShortDeadline());
        var before = folder.Compile("before-runaway.csx", "Headers[\"x-before\"] = \"ran\";").Transform!;
        var after = folder.Compile("after-runaway.csx", "Headers[\"x-after\"] = Headers[\"x-before\"] ?? \"missing\";").Transform!;

        var slow = Fixture("slow-library-call.csx");
        var result = await runner.RunAsync([before, slow, after], NotFound(), TestExits.Request());

        Assert.True(result.Failures.Count == 1, $"[{string.Join("; ", result.Failures)}], text {result.Response.Text}");
        Assert.Equal(TransformFailureKind.Runaway, result.Failures[0].Kind);
        Assert.Equal("slow-library-call.csx", result.Failures[0].Transform);
        Assert.Equal("ran", result.Response.Headers["x-after"]);
        Assert.Null(result.Response.Text);
    }

    [Fact]
    public async Task RunAsync_HandedOffChainStuckInALibraryCall_IsAnsweredAtTheDeadlineWithoutTheThreadThatTookIt()
    {
        // A transform host's reader takes the chain (ChainRunOptions.HandOff) and is then held by the stuck call:
        // the answer, and the rest of the chain, must not wait for that thread.
        using var runner = new TransformRunner(new RecordingWebhookSender(), budget: ShortDeadline());
        var before = folder.Compile("before-handoff.csx", "Headers[\"x-before\"] = \"ran\";").Transform!;
        var after = folder.Compile("after-handoff.csx", "Headers[\"x-after\"] = Headers[\"x-before\"] ?? \"missing\";").Transform!;
        var slow = folder.Compile("slow-handoff.csx", File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, "Sandbox", "slow-library-call.csx"))).Transform!;
        Thread? taker = null;
        var options = new ChainRunOptions
        {
            HandOff = work =>
            {
                taker = new Thread(work.Execute) { IsBackground = true };
                taker.Start();
            },
        };

        var result = await runner.RunAsync([before, slow, after], NotFound(), TestExits.Request(), options);

        Assert.NotNull(taker);
        Assert.True(result.Failures.Count == 1, $"[{string.Join("; ", result.Failures)}]");
        Assert.Equal(TransformFailureKind.Runaway, result.Failures[0].Kind);
        Assert.Equal("ran", result.Response.Headers["x-after"]);
        Assert.True(slow.Isolated, "a version once stuck is never handed to the caller's thread again");
    }

    [Fact]
    public async Task RunAsync_EveryScriptThreadHeld_IsolatedChainIsAnsweredWithoutAtTheDeadline()
    {
        // The watchdog's clock is a fake one, moved by the test, and the test makes it look: what is answered when
        // depends on nothing but the clock.
        var time = new FakeTimeProvider();
        using var execution = new ScriptExecution(new ScriptExecutionOptions { DedicatedThreads = 2 }, time);
        var budget = ShortDeadline();
        using var runner = new TransformRunner(new RecordingWebhookSender(), budget: budget, time: time, execution: execution);
        var quick = folder.Compile("quick.csx", "Status = 418;").Transform!;
        var pooled = folder.Compile("pooled.csx", "Status = 418;").Transform!;

        // Versions once stuck run on the dedicated threads; the others on the thread pool. Every dedicated thread
        // is held by a call that returns only when the test lets it.
        quick.Isolated = true;
        var holders = Enumerable.Range(0, execution.Threads.Count).Select(_ => new HeldThread(execution.Watchdog)).ToList();
        holders.ForEach(execution.Threads.Queue);
        Assert.All(holders, holder => Assert.True(holder.Started.Wait(TimeSpan.FromSeconds(30)), "a dedicated thread took the holder"));
        try
        {
            var waiting = runner.RunAsync([quick, quick], NotFound(), TestExits.Request());

            // At its deadline it still waits; one tick past it, it is answered without the transforms.
            time.Advance(budget.WallTime + budget.Grace);
            execution.Watchdog.Look();
            Assert.False(waiting.IsCompleted, "answered before its deadline");
            time.Advance(TimeSpan.FromMilliseconds(1));
            execution.Watchdog.Look();
            var result = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(404, result.Response.Status);
            Assert.Equal(2, result.Failures.Count);
            Assert.All(result.Failures, f => Assert.Contains("No thread picked the transform up", f.Exception.Message, StringComparison.Ordinal));
            Assert.All(result.Failures, f => Assert.Equal(TransformFailureKind.NotRun, f.Kind));

            // Transforms never stuck do not wait for the dedicated threads.
            var unaffected = await runner.RunAsync([pooled], NotFound(), TestExits.Request()).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Empty(unaffected.Failures);
            Assert.Equal(418, unaffected.Response.Status);
        }
        finally
        {
            holders.ForEach(holder => holder.Release.Set());
        }

        // The run given up while it waited is dropped, not run, once a thread is free; the next one runs.
        var later = await runner.RunAsync([quick], NotFound(), TestExits.Request()).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(later.Failures);
        Assert.Equal(418, later.Response.Status);
    }

    [Fact]
    public async Task RunAsync_RunawayWhileLoggingIsBroken_TheRequestStillGoesOnAndTheProcessLives()
    {
        using var broken = new BrokenLoggerFactory();
        using var execution = new ScriptExecution();
        using var runner = new TransformRunner(new RecordingWebhookSender(), broken, ShortDeadline(), execution: execution);

        var slow = Fixture("slow-library-call.csx");

        var result = await runner.RunAsync([slow], NotFound(), TestExits.Request()).WaitAsync(TimeSpan.FromSeconds(30));

        // The watchdog's log of the runaway threw; the request was answered all the same, without the transform.
        Assert.Equal(404, result.Response.Status);
        Assert.Null(result.Response.Text);

        // And the same watchdog still watches: the next runaway is cut too.
        using var next = new TransformRunner(new RecordingWebhookSender(), budget: ShortDeadline(), execution: execution);
        var nextResult = await next.RunAsync([Fixture("slow-library-call.csx")], NotFound(), TestExits.Request());
        Assert.Equal(TransformFailureKind.Runaway, Assert.Single(nextResult.Failures).Kind);
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
        using var runner = new TransformRunner(new RecordingWebhookSender(), budget: new TransformBudgetOptions { QuarantineAfter = 3 });
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
        using var runner = new TransformRunner(new RecordingWebhookSender());
        var next = folder.Compile("after-spin.csx", "Headers[\"x-after\"] = \"ran\";");

        var result = await runner.RunAsync([Fixture("spin-catch-all.csx"), next.Transform!], NotFound(), TestExits.Request());

        Assert.Single(result.Failures);
        Assert.Equal("ran", result.Response.Headers["x-after"]);
    }

    private CompiledTransform Fixture(string name)
    {
        var compilation = folder.Compile(name, File.ReadAllText(Path.Combine(RepositoryPaths.Fixtures, "Sandbox", name)));
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
        return compilation.Transform!;
    }

    private static ExitResponse NotFound() => new(404, new JsonObject { ["message"] = "m" }, null, new ResponseHeaders());
}
