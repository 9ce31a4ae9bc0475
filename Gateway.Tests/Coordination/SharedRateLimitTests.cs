using System.Diagnostics.Metrics;
using System.Net;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Coordination;

/// <summary>
/// Three gateways, each its own app, share one real redis-server: a <c>Store: Redis</c> policy holds across them; when
/// Redis is killed each falls back to its own count (and says so), and when Redis is back they share again.
/// </summary>
public sealed class SharedRateLimitTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const int Replicas = 3;

    private readonly List<TestGateway> _gateways = [];
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        if (RedisServer.Executable is null)
        {
            return;
        }

        for (var i = 0; i < Replicas; i++)
        {
            var settings = GatewaySettings.For(_upstream.Address);
            settings["Gateway:Redis:Configuration"] = redis.Configuration;

            // Each test class its own prefix, as two gateways sharing one Redis would use.
            settings["Gateway:Redis:KeyPrefix"] = "rate-test:";

            // Generous: the machine is noisy, and a slow answer here would turn into a local decision.
            settings["Gateway:Redis:OperationTimeout"] = "00:00:02";

            // A minute's window: the count cannot reset in the middle of a test, however slow the machine.
            settings["Gateway:RateLimits:shared:PermitLimit"] = "20";
            settings["Gateway:RateLimits:shared:Window"] = "00:01:00";
            settings["Gateway:RateLimits:shared:Store"] = "Redis";
            settings["ReverseProxy:Routes:shared:ClusterId"] = "upstream";
            settings["ReverseProxy:Routes:shared:RateLimiterPolicy"] = "shared";
            settings["ReverseProxy:Routes:shared:Match:Path"] = "/shared/{**catch-all}";
            settings["ReverseProxy:Routes:shared:Transforms:0:PathRemovePrefix"] = "/shared";
            _gateways.Add(await TestGateway.StartAsync(settings, []));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        await _upstream.DisposeAsync();
    }

    [RedisFact]
    public async Task SixtyRequestsOverThreeReplicas_TwentyPass()
    {
        await WaitUntilSharedAsync();
        await redis.CommandAsync("FLUSHALL");

        var statuses = await SendAsync(60);

        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(40, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [RedisFact]
    public async Task RedisKilled_EachReplicaLimitsOnItsOwn_AndSharesAgainOnceRedisIsBack()
    {
        await WaitUntilSharedAsync();
        using var recorder = new WebhookMetricsRecorder(_gateways[0].Service<IMeterFactory>(), "gateway.redis.");
        await redis.KillAsync();

        // Fail open: every replica counts on its own, so three times the limit pass; nothing waits for Redis.
        var statuses = await SendAsync(90);
        Assert.Equal(60, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(30, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.True(recorder.Sum("gateway.redis.fallbacks", ("feature", "rate_limit")) >= 30);
        await _gateways[0].Logs.WaitForAsync(e => e.Properties.TryGetValue("EventId", out var id) && id.ToString().Contains("7003", StringComparison.Ordinal));

        // Degraded, not unready: the replica still serves.
        using (var ready = await _gateways[0].Management.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("Degraded", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await redis.StartAsync();
        await WaitUntilSharedAsync();
        var shared = await SendAsync(60);
        Assert.Equal(20, shared.Count(s => s == HttpStatusCode.OK));
    }

    private async Task<List<HttpStatusCode>> SendAsync(int count)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var response = await _gateways[i % Replicas].Client.GetAsync(new Uri("/shared/x", UriKind.Relative));
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    // Every replica's client reconnects on its own; the test waits until all of them say so.
    private async Task WaitUntilSharedAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!_gateways.All(g => g.Service<Gateway.Coordination.RedisConnection>().IsConnected))
        {
            Assert.True(DateTime.UtcNow < deadline, "The replicas did not reconnect to Redis within a minute.");
            await Task.Delay(100);
        }
    }
}
