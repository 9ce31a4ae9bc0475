using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Scripting;

namespace Gateway.Benchmarks.Webhooks;

/// <summary>
/// <c>Webhooks.Send(text)</c> as a script calls it, on the gateway's real <c>IWebhookSender</c>:
/// <list type="bullet">
/// <item><see cref="Enqueue"/>: folding off, so every call puts a message on the queue (emptied between iterations,
/// outside the measurement, so no call is a drop);</item>
/// <item><see cref="FoldedRepeat"/>: the default 60 s fold window and the same text every time, as in an alert storm
/// (a load test of the 401 path): after the first, each call is only counted into the window's follow-up.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[InvocationCount(Invocations)]
public class WebhookSendBenchmarks
{
    // Under the queue capacity configured below, so that an iteration never fills the queue.
    private const int Invocations = 65_536;

    private const string Text = "GET example.com/ → 401: No API key found in request";

    private GatewayHost _unfoldedHost = null!;
    private GatewayHost _foldingHost = null!;
    private IWebhookSender _unfolded = null!;
    private IWebhookSender _folding = null!;

    [GlobalSetup]
    public void Setup()
    {
        var unfolded = new Dictionary<string, string?>
        {
            ["Gateway:Webhooks:Default"] = "slack",
            ["Gateway:Webhooks:Destinations:slack:Kind"] = "Slack",
            ["Gateway:Webhooks:Destinations:slack:FoldWindow"] = "00:00:00",
            ["Gateway:Webhooks:Destinations:slack:QueueCapacity"] = "100000",
        };
        var folding = new Dictionary<string, string?>
        {
            ["Gateway:Webhooks:Default"] = "slack",
            ["Gateway:Webhooks:Destinations:slack:Kind"] = "Slack",
        };
        _unfoldedHost = GatewayHost.Create(unfolded);
        _foldingHost = GatewayHost.Create(folding);
        _unfolded = _unfoldedHost.Sender;
        _folding = _foldingHost.Sender;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _unfoldedHost.DisposeAsync();
        await _foldingHost.DisposeAsync();
    }

    [IterationSetup]
    public void Drain() => _unfoldedHost.DrainWebhooks();

    [Benchmark(Baseline = true)]
    public void Enqueue() => _unfolded.Send(Text);

    [Benchmark]
    public void FoldedRepeat() => _folding.Send(Text);
}
