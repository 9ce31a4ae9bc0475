using System.Diagnostics;
using System.Text.Json.Nodes;
using Gateway.Scripting.Compilation;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Testing;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Scripting.Execution;

public sealed class TransformRunnerTests : IDisposable
{
    private const string NoApiKey = "No API key found in request";

    private readonly TempTransformsFolder _folder = new();
    private readonly RecordingWebhookSender _webhooks = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly TransformRunner _runner;

    public TransformRunnerTests()
    {
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        // A generous budget: these tests are about results, not time, and the machines are shared.
        _runner = new TransformRunner(_webhooks, _loggerFactory, new TransformBudgetOptions { WallTime = TimeSpan.FromSeconds(5) });
    }

    public void Dispose()
    {
        _loggerFactory.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task RunAsync_Chain_EachTransformSeesThePreviousOutput()
    {
        var first = _folder.CompileTransform("first.csx", "Status = 418;\nHeaders[\"x-order\"] = \"1\";\n");
        var second = _folder.CompileTransform("second.csx", "Headers[\"x-order\"] += \"2\";\nBody = new JsonObject { [\"seen\"] = Status };\n");
        var third = _folder.CompileTransform("third.csx", "Headers[\"x-order\"] += \"3\";\nBody![\"then\"] = Body[\"seen\"]!.GetValue<int>() + 1;\n");

        var result = await _runner.RunAsync([first, second, third], Unauthorized(), TestExits.Request());

        Assert.Empty(result.Failures);
        Assert.Equal(418, result.Response.Status);
        Assert.Equal("123", result.Response.Headers["x-order"]);
        Assert.Equal("""{"seen":418,"then":419}""", result.Response.Body!.ToJsonString());
    }

    [Fact]
    public async Task RunAsync_HandOff_TheChainAndTheCallersContinuationRunOnTheThreadThatTookIt()
    {
        var first = _folder.CompileTransform("first-handoff.csx", "Status = 418;");
        var second = _folder.CompileTransform("second-handoff.csx", "Headers[\"x-order\"] = Status.ToString();");
        IThreadPoolWorkItem? handedOff = null;
        var options = new ChainRunOptions { HandOff = work => handedOff = work };

        var call = _runner.RunAsync([first, second], Unauthorized(), TestExits.Request(), options);
        int? resumedOn = null;
        var resumed = call.ContinueWith(_ => resumedOn = Environment.CurrentManagedThreadId, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        Assert.False(call.IsCompleted);
        Assert.NotNull(handedOff);

        handedOff.Execute();

        // Complete, and its continuation run, by the time the thread that took the chain is back: no hop.
        Assert.True(resumed.IsCompletedSuccessfully);
        Assert.Equal(Environment.CurrentManagedThreadId, resumedOn);
        var result = await call;
        Assert.Empty(result.Failures);
        Assert.Equal("418", result.Response.Headers["x-order"]);
    }

    [Fact]
    public async Task RunAsync_EmptyChain_ReturnsTheResponseAsItIs()
    {
        var response = Unauthorized();

        var result = await _runner.RunAsync([], response, TestExits.Request());

        Assert.Same(response, result.Response);
        Assert.Empty(result.Failures);
    }

    [Fact]
    public async Task RunAsync_RunnerFaultOutsideAnyScript_FailsTheCallInsteadOfHangingOrCrashing()
    {
        // A logger factory that cannot make the script's logger: a fault of the runner's own, not of the script.
        using var broken = new ThrowingLoggerFactory();
        var runner = new TransformRunner(_webhooks, broken, new TransformBudgetOptions { WallTime = TimeSpan.FromSeconds(5) });
        var transform = _folder.CompileTransform("ok.csx", "Status = 418;");

        var call = runner.RunAsync([transform], Unauthorized(), TestExits.Request());

        var fault = await Assert.ThrowsAsync<InvalidOperationException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("no script loggers here", fault.Message);

        // The runner and its threads carry on.
        var result = await _runner.RunAsync([transform], Unauthorized(), TestExits.Request());
        Assert.Equal(418, result.Response.Status);
    }

    [Fact]
    public async Task RunAsync_ScriptLogsAndFailures_CarryTheRequestsTraceId()
    {
        var traces = new TraceRecordingProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(traces));
        var runner = new TransformRunner(_webhooks, factory, new TransformBudgetOptions { WallTime = TimeSpan.FromSeconds(5) });
        var transform = _folder.CompileTransform("logs-then-throws.csx", "Log.LogInformation(\"from the script\");\nthrow new InvalidOperationException(\"boom\");\n");

        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        await runner.RunAsync([transform], Unauthorized(), TestExits.Request());
        var expected = activity.TraceId.ToHexString();

        Assert.Equal(expected, Assert.Single(traces.Entries, e => e.Message == "from the script").TraceId);
        Assert.Equal(expected, Assert.Single(traces.Entries, e => e.Message.Contains("boom", StringComparison.Ordinal)).TraceId);
    }

    private sealed class TraceRecordingProvider : ILoggerProvider, ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<(string Message, string? TraceId)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((formatter(state, exception), Activity.Current?.TraceId.ToHexString()));

        public void Dispose()
        {
        }
    }

    private sealed class ThrowingLoggerFactory : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("Gateway.Transforms.", StringComparison.Ordinal)
            ? throw new InvalidOperationException("no script loggers here")
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    [Theory]
    [InlineData("Headers[\"x-bad\"] = \"1\";\nthrow new InvalidOperationException(\"boom\");\n", 2)]
    [InlineData("Body![\"message\"] = \"changed\";\nthrow new InvalidOperationException(\"boom\");\n", 2)]
    [InlineData("Body![\"items\"]!.AsArray().Add(3);\nHeaders.Remove(\"x-before\");\n\nthrow new InvalidOperationException(\"boom\");\n", 4)]
    [InlineData("Status = 500;\nBody = new JsonObject { [\"other\"] = 1 };\nthrow new InvalidOperationException(\"boom\");\n", 3)]
    [InlineData("Text = \"plain\";\nHeaders.Append(\"x-before\", \"2\");\nHeaders[\"Content-Type\"] = \"text/html\";\nthrow new InvalidOperationException(\"boom\");\n", 4)]
    [InlineData("void Fail() =>\n    throw new InvalidOperationException(\"boom\");\nHeaders[\"x-bad\"] = \"1\";\nFail();\n", 2)]
    public async Task RunAsync_TransformThrows_ResponseStaysAsBeforeItAndTheNextOneRuns(string source, int line)
    {
        var bad = _folder.CompileTransform("bad.csx", source);
        var after = _folder.CompileTransform("after.csx", "Headers[\"x-after\"] = Body?[\"message\"]?.ToString() ?? Text ?? \"(none)\";\n");
        var response = Unauthorized();
        var before = Describe(response);

        var result = await _runner.RunAsync([bad, after], response, TestExits.Request());

        var failure = Assert.Single(result.Failures);
        Assert.Equal("bad.csx", failure.Transform);
        Assert.Equal(bad.FilePath, failure.File);
        Assert.Equal(line, failure.Line);
        var exception = Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Equal("boom", exception.Message);
        Assert.Equal($"{bad.FilePath}({line}): InvalidOperationException: boom", failure.ToString());

        Assert.Equal(401, result.Response.Status);
        Assert.Equal("""{"message":"No API key found in request","items":[1,2]}""", result.Response.Body!.ToJsonString());
        Assert.Null(result.Response.Text);
        Assert.Equal([KeyValuePair.Create("x-before", "1"), KeyValuePair.Create("x-after", NoApiKey)], result.Response.Headers);
        Assert.Equal(before, Describe(response));
    }

    [Theory]
    [InlineData("Status = 42;", typeof(ArgumentOutOfRangeException))]
    [InlineData("Status = 600;", typeof(ArgumentOutOfRangeException))]
    [InlineData("Headers[\"x\"] = \"a\\r\\nb\";", typeof(ArgumentException))]
    [InlineData("Headers[\"x\"] = \"a\\0b\";", typeof(ArgumentException))]
    [InlineData("Headers[\"Content-Length\"] = \"5\";", typeof(ArgumentException))]
    [InlineData("Headers[\"bad name\"] = \"x\";", typeof(ArgumentException))]
    public async Task RunAsync_RefusedChange_FailsAtItsLineAndIsReverted(string refused, Type exceptionType)
    {
        var transform = _folder.CompileTransform("refused.csx", "Headers[\"x-bad\"] = \"1\";\nBody![\"message\"] = \"changed\";\n" + refused + "\n");
        var response = Unauthorized();

        var result = await _runner.RunAsync([transform], response, TestExits.Request());

        var failure = Assert.Single(result.Failures);
        Assert.IsType(exceptionType, failure.Exception);
        Assert.Equal(3, failure.Line);
        Assert.Equal(Describe(response), Describe(result.Response));
        Assert.False(result.Response.Headers.Contains("x-bad"));
    }

    [Fact]
    public async Task RunAsync_Succeeds_DoesNotMutateTheResponsePassedIn()
    {
        var transform = _folder.CompileTransform("mutate.csx", """
            Body!["message"] = "changed";
            Body["items"]!.AsArray().Clear();
            Headers["x-before"] = "overwritten";
            Headers.Append("x-added", "1");
            Status = 500;
            """);
        var response = Unauthorized();
        var before = Describe(response);

        var result = await _runner.RunAsync([transform], response, TestExits.Request());

        Assert.Empty(result.Failures);
        Assert.Equal(before, Describe(response));
        Assert.NotSame(response.Body, result.Response.Body);
        Assert.NotSame(response.Headers, result.Response.Headers);
        Assert.Equal(500, result.Response.Status);
        Assert.Equal("""{"message":"changed","items":[]}""", result.Response.Body!.ToJsonString());
    }

    [Fact]
    public async Task RunAsync_WebhooksSend_ReachesTheSenderGivenToTheRunner()
    {
        var transform = _folder.CompileTransform("alert.csx", "Webhooks.Send($\"{Request.Method} {Request.Host}{Request.Path} -> {Status}\");\n");

        await _runner.RunAsync([transform], Unauthorized(), TestExits.Request());

        Assert.Equal(["GET example.com/orders/42 -> 401"], _webhooks.Messages);
    }

    [Fact]
    public async Task RunAsync_WebhooksSendThenThrow_MessageIsStillSent()
    {
        // Sending is queueing: it is not undone when the transform fails afterwards.
        var transform = _folder.CompileTransform("alert.csx", "Webhooks.Send(\"sent\");\nthrow new InvalidOperationException(\"boom\");\n");

        var result = await _runner.RunAsync([transform], Unauthorized(), TestExits.Request());

        Assert.Single(result.Failures);
        Assert.Equal(["sent"], _webhooks.Messages);
    }

    [Fact]
    public async Task RunAsync_Log_LogsThroughTheFactoryWithTheTransformName()
    {
        var transform = _folder.CompileTransform(Path.Combine("audit", "log.csx"), "Log.LogWarning(\"Saw {Status} for {Path}\", Status, Request.Path);\n");

        await _runner.RunAsync([transform], Unauthorized(), TestExits.Request());

        var entry = Assert.Single(_logs.Entries, e => e.Category.StartsWith("Gateway.Transforms.", StringComparison.Ordinal));
        Assert.Equal("Gateway.Transforms.audit/log.csx", entry.Category);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("Saw 401 for /orders/42", entry.Message);
        Assert.Equal(401, entry.State["Status"]);
        Assert.Equal("audit/log.csx", entry.ScopeProperties["Transform"]);
    }

    [Fact]
    public async Task RunAsync_TransformThrows_LogsTheFailureWithFileAndLine()
    {
        var transform = _folder.CompileTransform("bad.csx", "Status = 500;\nthrow new InvalidOperationException(\"boom\");\n");

        var result = await _runner.RunAsync([transform], Unauthorized(), TestExits.Request());

        var entry = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(2001, entry.EventId.Id);
        Assert.Equal("bad.csx", entry.State["Transform"]);
        Assert.Equal(transform.FilePath, entry.State["TransformFile"]);
        Assert.Equal(2, entry.State["TransformLine"]);
        Assert.Same(result.Failures[0].Exception, entry.Exception);
    }

    [Theory]
    [InlineData("var end = DateTime.UtcNow.AddSeconds(5);\nwhile (DateTime.UtcNow < end) { }\nStatus = 500;\n")]
    [InlineData("try { while (true) { } } catch { }\nStatus = 500;\n")]
    public async Task RunAsync_TransformPastItsTimeBudget_IsCutOff(string source)
    {
        var transform = _folder.CompileTransform("slow.csx", source);
        var stopwatch = Stopwatch.StartNew();

        var budgeted = new TransformRunner(_webhooks, _loggerFactory);

        var result = await Task.Run(() => budgeted.RunAsync([transform], Unauthorized(), TestExits.Request()));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(4), $"The chain took {stopwatch.Elapsed}.");
        Assert.Single(result.Failures);
        Assert.Equal(401, result.Response.Status);
    }

    [Fact]
    public async Task RunAsync_ArrSample_ReshapesTheGatewayMessage()
    {
        var result = await _runner.RunAsync([CompileSample("arr.csx")], Unauthorized(), TestExits.Request());

        Assert.Empty(result.Failures);
        Assert.Equal(401, result.Response.Status);
        Assert.Equal("some value", result.Response.Headers["x-some-header"]);
        Assert.Equal("""{"error":true,"status":401,"message":"No API key found in request, arr!"}""", result.Response.Body!.ToJsonString());
    }

    [Fact]
    public async Task RunAsync_ArrSampleOnTextBody_LeavesTheResponseUnchanged()
    {
        var response = new ExitResponse(502, null, "Bad Gateway", new ResponseHeaders());

        var result = await _runner.RunAsync([CompileSample("arr.csx")], response, TestExits.Request());

        Assert.Empty(result.Failures);
        Assert.Equal(Describe(response), Describe(result.Response));
    }

    [Fact]
    public async Task RunAsync_ProblemDetailsSample_WritesAProblemDocument()
    {
        var result = await _runner.RunAsync([CompileSample("problem-details.csx")], Unauthorized(), TestExits.Request());

        Assert.Empty(result.Failures);
        Assert.Equal("application/problem+json", result.Response.Headers["Content-Type"]);
        Assert.Equal(
            """{"type":"about:blank","title":"Unauthorized","status":401,"detail":"No API key found in request","instance":"/orders/42","traceId":"0af7651916cd43dd8448eb211c80319c"}""",
            result.Response.Body!.ToJsonString());
    }

    [Fact]
    public async Task RunAsync_SlackAlertSample_SendsOneMessageAndLeavesTheResponse()
    {
        var response = Unauthorized();

        var result = await _runner.RunAsync([CompileSample("slack-alert.csx")], response, TestExits.Request());

        Assert.Empty(result.Failures);
        Assert.Equal(["GET example.com/orders/42 → 401: No API key found in request"], _webhooks.Messages);
        Assert.Equal(Describe(response), Describe(result.Response));
    }

    private static ExitResponse Unauthorized() => new(
        401,
        new JsonObject { ["message"] = NoApiKey, ["items"] = new JsonArray(1, 2) },
        null,
        new ResponseHeaders { ["x-before"] = "1" });

    private static CompiledTransform CompileSample(string name)
    {
        var compilation = new TransformCompiler(SampleTransforms.Folder).CompileFile(Path.Combine(SampleTransforms.Folder, name));
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
        return compilation.Transform!;
    }

    // Everything a client would see of the response, so "unchanged" is one comparison.
    private static string Describe(ExitResponse response) =>
        $"{response.Status} | {response.Body?.ToJsonString()} | {response.Text} | "
        + string.Join("; ", response.Headers.Select(h => $"{h.Key}: {h.Value}"));
}
