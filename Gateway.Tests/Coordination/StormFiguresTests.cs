using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Coordination;

/// <summary>
/// The figures of README's "Alert storms reaching Slack" for several replicas: one storm of identical terminations,
/// spread over 1 or 3 gateways, with and without Redis, against a Slack stand-in that keeps to Slack's rate (1 a
/// second, bursts of 3; over it, 429). Each case prints one table row (<c>bash bench/storm-replicas.sh</c> collects
/// them) and asserts what must hold whatever the machine: every termination is accounted for in what Slack received
/// or in <c>gateway.webhooks.terminations_lost</c>,
/// and one first message reaches Slack for the fleet with Redis (one per replica without it).
/// </summary>
public sealed partial class StormFiguresTests(RedisServer redis, ITestOutputHelper output) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const int Terminations = 300;

    private readonly List<TestGateway> _gateways = [];
    private readonly List<WebhookMetricsRecorder> _metrics = [];
    private TestUpstream _upstream = null!;
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _slack = await SlackStandIn.StartAsync();
        _slack.Rate = (1, 3);
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        foreach (var metrics in _metrics)
        {
            metrics.Dispose();
        }

        await _slack.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [RedisFact]
    public Task OneReplica_WithoutRedis() => StormAsync(1, withRedis: false);

    [RedisFact]
    public Task ThreeReplicas_WithoutRedis_OneFirstMessageEach() => StormAsync(3, withRedis: false);

    [RedisFact]
    public Task OneReplica_WithRedis() => StormAsync(1, withRedis: true);

    [RedisFact]
    public Task ThreeReplicas_WithRedis_OneFirstMessageForTheFleet() => StormAsync(3, withRedis: true);

    private async Task StormAsync(int replicas, bool withRedis)
    {
        for (var i = 0; i < replicas; i++)
        {
            var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
            if (withRedis)
            {
                settings["Gateway:Redis:Configuration"] = redis.Configuration;
                settings["Gateway:Redis:KeyPrefix"] = $"figures-{replicas}:";
                settings["Gateway:Redis:OperationTimeout"] = "00:00:02";
            }

            // Short windows, so that the storm spans three; one message per post, so that posts can be counted. The
            // rate is Slack's (the default: 1 a second, bursts of 3).
            settings["Gateway:Webhooks:Destinations:slack:FoldWindow"] = "00:00:02";
            settings["Gateway:Webhooks:Destinations:slack:Digests"] = "false";
            _gateways.Add(await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]));
            _metrics.Add(new WebhookMetricsRecorder(_gateways[^1].Service<System.Diagnostics.Metrics.IMeterFactory>()));
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (withRedis && !_gateways.All(g => g.Service<Gateway.Coordination.RedisConnection>().IsConnected))
        {
            Assert.True(DateTime.UtcNow < deadline, "The replicas did not connect to Redis within a minute.");
            await Task.Delay(100);
        }

        // Each replica's first termination warms its transforms up (and is left out of the figures).
        foreach (var gateway in _gateways)
        {
            using var warmUp = await RequestAsync(gateway, "/warm-up");
        }

        // The storm: identical terminations, round robin over the replicas.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Terminations; i++)
        {
            using var response = await RequestAsync(_gateways[i % replicas], "/storm");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var stormEnded = clock.Elapsed;
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (Accounted() + Lost() < Terminations)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Accounted()} of {Terminations} terminations reached Slack within two minutes, {Lost()} were lost.");
            await Task.Delay(100);
        }

        var lastNeeded = clock.Elapsed - stormEnded;

        // A moment for anything counted twice to show.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var delivered = Delivered().ToList();
        var firsts = delivered.Count(body => !FollowUp().IsMatch(body));
        var refused = _slack.Posts.Count(post => post.Answer.Status == 429);
        output.WriteLine(FormattableString.Invariant(
            $"| {replicas} | {(withRedis ? "yes" : "no")} | {Terminations} in {stormEnded.TotalSeconds:0.0} s | {delivered.Count} | {firsts} | {delivered.Count - firsts} | {refused} | {Lost()} | {lastNeeded.TotalSeconds:0.0} s |"));

        // Every termination reached Slack, or was counted lost (a post given up on after its retries).
        Assert.Equal(Terminations, Accounted() + Lost());

        // One first message for the fleet with Redis; without it, one per replica (unless Slack's 429s cost one).
        if (withRedis)
        {
            Assert.Equal(1, firsts);
        }
        else
        {
            Assert.InRange(firsts, 1, replicas);
        }
    }

    private static async Task<HttpResponseMessage> RequestAsync(TestGateway gateway, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = "example.com";
        return await gateway.Client.SendAsync(request);
    }

    private IEnumerable<string> Delivered() => _slack.Posts
        .Where(post => post.Answer.Status == 200 && post.Body.Contains("example.com/storm ", StringComparison.Ordinal))
        .Select(post => post.Body);

    // The warm-up's message is not in it unless that was lost too: then the figures err by one, on the side of loss.
    private long Lost() => _metrics.Sum(metrics => metrics.Sum("gateway.webhooks.terminations_lost"));

    private int Accounted() => Delivered().Sum(body => FollowUp().Match(body) is { Success: true } match
        ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
        : 1);

    [GeneratedRegex(@"(\d+) more like this")]
    private static partial Regex FollowUp();
}
