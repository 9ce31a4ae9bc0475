using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Coordination;

/// <summary>
/// Three gateways, each its own app, share one real redis-server and one Slack stand-in: a storm of identical
/// terminations over the three gives one first message for the fleet, and follow-ups whose counts add up to every
/// termination; with Redis killed, alerts keep flowing from each replica's own folding; with Redis back, the fleet
/// folds as one again.
/// </summary>
public sealed partial class SharedFoldingTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const int Replicas = 3;

    private readonly List<TestGateway> _gateways = [];
    private TestUpstream _upstream = null!;
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _slack = await SlackStandIn.StartAsync();
        if (RedisServer.Executable is null)
        {
            return;
        }

        for (var i = 0; i < Replicas; i++)
        {
            var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
            settings["Gateway:Redis:Configuration"] = redis.Configuration;
            settings["Gateway:Redis:KeyPrefix"] = "fold-test:";
            settings["Gateway:Redis:OperationTimeout"] = "00:00:02";

            // Short windows, so that follow-ups come within the test; one message per post, so posts can be counted.
            settings["Gateway:Webhooks:Destinations:slack:FoldWindow"] = "00:00:02";
            settings["Gateway:Webhooks:Destinations:slack:Digests"] = "false";
            settings["Gateway:Webhooks:Destinations:slack:RateLimit:MessagesPerSecond"] = "50";
            settings["Gateway:Webhooks:Destinations:slack:RateLimit:Burst"] = "50";
            _gateways.Add(await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        await _slack.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [RedisFact]
    public async Task StormOverThreeReplicas_OneFirstMessage_FollowUpsAddUpToEveryTermination()
    {
        await WaitUntilSharedAsync();

        await StormAsync("/storm-a", 300);

        await WaitForTerminationsAsync("/storm-a", 300);
        Assert.Equal(1, FirstMessages("/storm-a"));
    }

    [RedisFact]
    public async Task DistinctAlerts_EachPostedOnce()
    {
        await WaitUntilSharedAsync();

        for (var i = 0; i < 60; i++)
        {
            using var response = await Request(_gateways[i % Replicas], $"/distinct-{i}/x");
        }

        await WaitUntilAsync(() => Enumerable.Range(0, 60).All(i => FirstMessages($"/distinct-{i}/x") >= 1));
        Assert.All(Enumerable.Range(0, 60), i => Assert.Equal(1, FirstMessages($"/distinct-{i}/x")));
    }

    [RedisFact]
    public async Task RedisKilledMidStorm_AlertsKeepFlowing_AndTheFleetFoldsAsOneOnceRedisIsBack()
    {
        await WaitUntilSharedAsync();
        using var recorder = new WebhookMetricsRecorder(_gateways[0].Service<IMeterFactory>(), "gateway.redis.");
        await StormAsync("/storm-b", 30);
        await redis.KillAsync();

        // Every client still gets its answer; each replica folds on its own, so each posts its first message.
        await StormAsync("/storm-c", 90);
        await WaitUntilAsync(() => FirstMessages("/storm-c") == Replicas);
        await WaitForTerminationsAsync("/storm-c", 90);
        Assert.True(recorder.Sum("gateway.redis.fallbacks", ("feature", "folding")) > 0);

        await redis.StartAsync();
        await WaitUntilSharedAsync();
        await StormAsync("/storm-d", 90);
        await WaitForTerminationsAsync("/storm-d", 90);
        Assert.Equal(1, FirstMessages("/storm-d"));
    }

    private async Task StormAsync(string path, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var response = await Request(_gateways[i % Replicas], path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    private static async Task<HttpResponseMessage> Request(TestGateway gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "example.com";
        return await gateway.Client.SendAsync(request);
    }

    private IEnumerable<string> PostsFor(string path) =>
        _slack.Posts.Select(p => p.Body).Where(body => body.Contains($"example.com{path} ", StringComparison.Ordinal));

    private int FirstMessages(string path) => PostsFor(path).Count(body => !FollowUp().IsMatch(body));

    // Every termination ends in the first message or in one follow-up's count.
    private async Task WaitForTerminationsAsync(string path, int expected)
    {
        int Accounted() => PostsFor(path).Sum(body => FollowUp().Match(body) is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : 1);

        await WaitUntilAsync(() => Accounted() >= expected, () => $"{Accounted()} of {expected} terminations in: {string.Join(" | ", PostsFor(path))} ALL {_slack.Posts.Count}: {string.Join(" | ", _slack.Posts.Select(p => p.Body).Take(5))} LOGS {string.Join(" || ", _gateways.SelectMany(g => g.Logs.Events).Where(e => e.Level >= Serilog.Events.LogEventLevel.Warning).Select(e => e.RenderMessage(CultureInfo.InvariantCulture) + e.Exception?.Message).Take(10))}");

        // A moment for anything counted twice to show.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(expected, Accounted());
    }

    private async Task WaitUntilSharedAsync() =>
        await WaitUntilAsync(() => _gateways.All(g => g.Service<Gateway.Coordination.RedisConnection>().IsConnected));

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not hold within a minute. " + state?.Invoke());
            }

            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"(\d+) more like this")]
    private static partial Regex FollowUp();
}
