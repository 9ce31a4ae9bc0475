using System.Net;
using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;

namespace Gateway.Tests.Coordination;

/// <summary>
/// Three gateways, each its own app, share one real redis-server and one Slack stand-in: together they keep to one
/// destination's rate (one token bucket in Redis), and one 429's <c>Retry-After</c> holds back all three.
/// Measured from the stand-in's arrival times, with generous margins: counts per window, not exact timing.
/// </summary>
public sealed class SharedPacingTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const int Replicas = 3;

    private readonly List<TestGateway> _gateways = [];
    private TestUpstream _upstream = null!;
    private SlackStandIn _slack = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _slack = await SlackStandIn.StartAsync();
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
    public async Task ThreeReplicas_TogetherKeepToTheDestinationsRate()
    {
        const double perSecond = 2;
        const int burst = 2;
        await StartFleetAsync("pace-rate:", perSecond, burst);

        const int alerts = 24;
        await SendAsync("rate", alerts);
        var posts = await _slack.WaitForPostsAsync(alerts, TimeSpan.FromSeconds(120));

        // Every replica posted its share: the rate held across the fleet, not within one replica.
        Assert.All(_gateways, gateway => Assert.True(gateway.Service<WebhookDeliveryService>().Workers[0].Delivered > 0));

        // In any 3 s, at most the burst plus 3 s of tokens (and 2 for arrivals bunched by a busy machine); three
        // replicas pacing alone would allow three times the burst and the rate.
        var window = TimeSpan.FromSeconds(3);
        var allowed = burst + (int)(perSecond * window.TotalSeconds) + 2;
        var arrivals = posts.Select(p => p.At).Order().ToList();
        var busiest = arrivals.Max(start => arrivals.Count(at => at >= start && at < start + window));
        Assert.True(busiest <= allowed, $"{busiest} posts within {window}, more than {allowed}: {string.Join(", ", arrivals.Select(a => a.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.Equal(0, posts.Count(p => p.Answer.Status == 429));
    }

    [RedisFact]
    public async Task OneRetryAfter_HoldsBackEveryReplica()
    {
        await StartFleetAsync("pace-pause:", perSecond: 2, burst: 1);
        await SendAsync("before", 3);
        await _slack.WaitForPostsAsync(3, TimeSpan.FromSeconds(60));

        // The next post is answered 429 with Retry-After: 3; meanwhile every replica has alerts queued.
        const int retryAfter = 3;
        _slack.Answer(SlackAnswer.TooManyRequests(retryAfter));
        await SendAsync("during", 12);

        // All 15 delivered, one of them twice (its first attempt was the 429).
        var posts = await _slack.WaitForPostsAsync(16, TimeSpan.FromSeconds(120));
        var refused = Assert.Single(posts, p => p.Answer.Status == 429);

        // The pause starts when a replica reads the 429, a little after it left the stand-in: nothing may arrive
        // from any replica until Retry-After has passed (a small margin for the two clocks' reading).
        var pausedUntil = refused.At + TimeSpan.FromSeconds(retryAfter) - TimeSpan.FromMilliseconds(100);
        var early = posts.Where(p => p.At > refused.At && p.At < pausedUntil).ToList();
        Assert.True(early.Count == 0, $"{early.Count} posts within Retry-After, at {string.Join(", ", early.Select(p => (p.At - refused.At).TotalMilliseconds))} ms after the 429");
        Assert.All(_gateways, gateway => Assert.True(gateway.Service<WebhookDeliveryService>().Workers[0].Delivered > 0));
    }

    private async Task StartFleetAsync(string prefix, double perSecond, int burst)
    {
        for (var i = 0; i < Replicas; i++)
        {
            var settings = GatewaySettings.For(_upstream.Address, _slack.Url).WithGlobal("slack-alert.csx");
            settings["Gateway:Redis:Configuration"] = redis.Configuration;
            settings["Gateway:Redis:KeyPrefix"] = prefix;
            settings["Gateway:Redis:OperationTimeout"] = "00:00:02";
            settings["Gateway:Webhooks:Destinations:slack:FoldWindow"] = "00:00:00";
            settings["Gateway:Webhooks:Destinations:slack:Digests"] = "false";
            settings["Gateway:Webhooks:Destinations:slack:RateLimit:MessagesPerSecond"] = perSecond.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["Gateway:Webhooks:Destinations:slack:RateLimit:Burst"] = burst.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _gateways.Add(await TestGateway.StartAsync(settings, ["Transforms/slack-alert.csx"]));
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!_gateways.All(g => g.Service<Gateway.Coordination.RedisConnection>().IsConnected))
        {
            Assert.True(DateTime.UtcNow < deadline, "The replicas did not connect to Redis within a minute.");
            await Task.Delay(100);
        }
    }

    // Distinct paths, round robin over the replicas: each alert is its own message.
    private async Task SendAsync(string name, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/{name}-{i}");
            request.Headers.Host = "example.com";
            using var response = await _gateways[i % Replicas].Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
