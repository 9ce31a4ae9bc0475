using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gateway.Coordination;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;
using StackExchange.Redis;

namespace Gateway.Tests.Coordination;

/// <summary>
/// The shared queue (a Redis Stream per destination): a replica in a process of its own queues alerts while Slack
/// does not answer, and is killed with SIGKILL, its shutdown never running; another replica then delivers every one of
/// them, the one the dead replica was posting included (claimed once the dead replica's claim went stale), with at
/// most one post's worth delivered twice.
/// </summary>
public sealed class DurableQueueTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const string Prefix = "durable-test:";
    private readonly List<Process> _processes = [];
    private readonly List<string> _folders = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private TestUpstream _upstream = null!;
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _slack = await SlackStandIn.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        await _slack.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public void Message_RoundTripsThroughTheStream()
    {
        var alert = new WebhookAlert("Upstream down")
        {
            Text = "GET /x",
            Severity = AlertSeverity.Critical,
            Fields = new Dictionary<string, string> { ["route"] = "api" },
            FoldKey = "down:api",
        };
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        var followUp = new WebhookMessage("slack", null, alert, at).FollowUp(37, at, at.AddSeconds(58), at.AddMinutes(1));
        var resolved = new WebhookMessage("slack", "plain", null, at).ResolvedNotice(38, at, at.AddMinutes(6), at.AddMinutes(7));

        foreach (var message in new[] { followUp, resolved })
        {
            var back = RedisWebhookStream.Deserialize(RedisWebhookStream.Serialize(message));

            Assert.Equal(message.PlainText, back.PlainText);
            Assert.Equal((message.QueuedAt, message.Terminations, message.Kind, message.Severity), (back.QueuedAt, back.Terminations, back.Kind, back.Severity));
            Assert.Equal(message.Alert?.Fields?["route"], back.Alert?.Fields?["route"]);
            Assert.Equal(message.Alert?.FoldKey, back.Alert?.FoldKey);
        }
    }

    [RedisFact]
    public async Task ReplicaKilledWithAlertsQueued_AnotherReplicaDeliversThem()
    {
        const int alerts = 12;
        using var store = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var stream = (RedisKey)(Prefix + "queue:{SLACK}");

        // Slack does not answer: the first replica's first post hangs, and the rest wait in the shared queue.
        _slack.Hang = true;
        var doomed = await StartProcessAsync();
        await WaitUntilAsync(async () => (await store.GetServer(store.GetEndPoints()[0]).ClientListAsync()).Any(client => client.Name == "gateway"), () => "the replica did not connect to Redis");
        using (var client = new HttpClient { BaseAddress = doomed, Timeout = TimeSpan.FromSeconds(30) })
        {
            for (var i = 0; i < alerts; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/killed-{i}");
                request.Headers.Host = "example.com";
                using var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
        }

        // Every alert is in the stream (one of them taken by the post that hangs), then the replica dies mid-post.
        await WaitUntilAsync(async () => await store.GetDatabase().StreamLengthAsync(stream) == alerts && !_slack.Posts.IsEmpty, () => $"the alerts did not reach the shared queue: {_slack.Posts.Count} posts; the replica wrote: {string.Join(Environment.NewLine, _output.TakeLast(40))}");
        var process = _processes[0];
        process.Kill();
        await process.WaitForExitAsync();
        var hung = _slack.Posts.Count;

        // Another replica, with Slack answering again, delivers them all.
        _slack.Hang = false;
        var settings = Settings();
        await using var survivor = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);
        await WaitUntilAsync(
            () => Task.FromResult(Enumerable.Range(0, alerts).All(i => Delivered(i) >= 1)),
            () => $"not every alert was delivered: {string.Join(", ", Enumerable.Range(0, alerts).Select(i => Delivered(i)))}");
        await WaitUntilAsync(async () => await store.GetDatabase().StreamLengthAsync(stream) == 0, () => "the stream was not emptied");

        // At least once: the post the dead replica hung in was never answered, so nothing was delivered twice; at most
        // one post's worth (one alert here) could be.
        var delivered = _slack.Posts.Count(post => post.Answer.Kind == SlackAnswer.Kinds.Respond && post.Answer.Status == 200);
        Assert.InRange(delivered, alerts, alerts + 1);
        Assert.True(hung >= 1);
        Assert.Equal(alerts, survivor.Service<WebhookDeliveryService>().Workers[0].Delivered);
    }

    [RedisFact]
    public async Task ReplicaStopped_LeavesItsQueueToTheOthers_NothingDropped()
    {
        const int alerts = 6;
        _slack.Hang = true;
        var settings = Settings("durable-stop:");
        settings["Gateway:Webhooks:DrainTimeout"] = "00:00:03";
        var leaving = await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]);
        using var metrics = new WebhookMetricsRecorder(leaving.Service<System.Diagnostics.Metrics.IMeterFactory>());
        await WaitUntilAsync(() => Task.FromResult(leaving.Service<RedisConnection>().IsConnected), () => "the replica did not connect to Redis");
        for (var i = 0; i < alerts; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/stopped-{i}");
            request.Headers.Host = "example.com";
            using var response = await leaving.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        // Stopped while its post hangs: the drain deadline cuts the post short, and nothing is counted lost.
        await WaitUntilAsync(() => Task.FromResult(!_slack.Posts.IsEmpty), () => "no post reached Slack");
        await leaving.DisposeAsync();
        Assert.Equal(0, metrics.Sum("gateway.webhooks.terminations_lost"));

        _slack.Hang = false;
        await using var survivor = await TestGateway.StartAsync(Settings("durable-stop:"), ["Transforms/slack-alert.csx"]);
        await WaitUntilAsync(
            () => Task.FromResult(Enumerable.Range(0, alerts).All(i => Delivered($"/stopped-{i}") >= 1)),
            () => $"not every alert was delivered: {string.Join(", ", Enumerable.Range(0, alerts).Select(i => Delivered($"/stopped-{i}")))}");
    }

    private int Delivered(int alert) => Delivered($"/killed-{alert}");

    private int Delivered(string path) => _slack.Posts.Count(post =>
        post.Answer.Kind == SlackAnswer.Kinds.Respond && post.Answer.Status == 200 && post.Body.Contains($"example.com{path} ", StringComparison.Ordinal));

    private Dictionary<string, string?> Settings(string prefix = Prefix)
    {
        var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
        settings["Gateway:Redis:Configuration"] = redis.Configuration;
        settings["Gateway:Redis:KeyPrefix"] = prefix;

        // The longest allowed: a shared-queue call that gives up on a loaded machine keeps its alerts in the replica.
        settings["Gateway:Redis:OperationTimeout"] = "00:00:05";
        settings["Gateway:Redis:ClaimAfter"] = "00:00:03";
        settings["Gateway:Webhooks:Destinations:slack:FoldWindow"] = "00:00:00";
        settings["Gateway:Webhooks:Destinations:slack:Digests"] = "false";
        settings["Gateway:Webhooks:Destinations:slack:RateLimit:MessagesPerSecond"] = "20";
        settings["Gateway:Webhooks:Destinations:slack:RateLimit:Burst"] = "20";
        return settings;
    }

    /// <summary>Starts the built gateway as a process of its own, configured through its environment; returns its proxy address once it answers.</summary>
    private async Task<Uri> StartProcessAsync()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-replica-").FullName;
        _folders.Add(folder);
        Directory.CreateDirectory(Path.Combine(folder, "Transforms"));
        File.Copy(Path.Combine(RepositoryPaths.Root, "Transforms", "slack-alert.csx"), Path.Combine(folder, "Transforms", "slack-alert.csx"));
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), "{}");
        var port = LoopbackServer.ClosedPort();
        var settings = Settings();
        settings["Urls"] = $"http://127.0.0.1:{port}";
        settings["Gateway:Management:Urls"] = string.Empty;
        settings["Gateway:Transforms:Path"] = Path.Combine(folder, "Transforms");
        settings["Gateway:Transforms:Isolation"] = "InProcess";
        var process = ChildProcess.StartGateway(folder, settings);
        _processes.Add(process);
        process.OutputDataReceived += (_, line) => _output.Enqueue(line.Data ?? string.Empty);
        process.ErrorDataReceived += (_, line) => _output.Enqueue(line.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}");
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilAsync(async () =>
        {
            Assert.False(process.HasExited, "The replica's process ended.");
            try
            {
                using var response = await probe.GetAsync("/open/");
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, () => "the replica did not start");
        return address;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Within 90 s, {failure()}.");
            await Task.Delay(100);
        }
    }
}
