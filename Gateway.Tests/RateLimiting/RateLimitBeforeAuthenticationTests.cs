using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RateLimiting;

/// <summary>
/// Rate limits apply before API keys are checked: a flood of missing or wrong keys is throttled by client IP like
/// any other traffic, and a policy that counts by consumer still counts each valid key on its own.
/// </summary>
public sealed class RateLimitBeforeAuthenticationTests : IAsyncLifetime
{
    private const string OtherKey = "other-key";

    private TestUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("count.csx");
        settings["Gateway:ApiKeys:other"] = OtherKey;

        // Windows of a minute: the counts cannot reset in the middle of a test, however slow the machine.
        settings["Gateway:RateLimits:twenty:PermitLimit"] = "20";
        settings["Gateway:RateLimits:twenty:Window"] = "00:01:00";
        settings["Gateway:RateLimits:two-per-consumer:PermitLimit"] = "2";
        settings["Gateway:RateLimits:two-per-consumer:Window"] = "00:01:00";
        settings["Gateway:RateLimits:two-per-consumer:PartitionBy"] = "Consumer";
        AddKeyedRoute(settings, "guarded", "twenty");
        AddKeyedRoute(settings, "metered", "two-per-consumer");
        _gateway = await TestGateway.StartAsync(settings, [], files: new Dictionary<string, string>
        {
            // Marks every answer the transforms saw, so the test can tell which terminations ran the chain.
            ["count.csx"] = "Headers[\"x-transformed\"] = Request.Termination.ToString();\n",
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task BurstWithoutAKey_Gets429sAfterThePermitLimit()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            // Half without a key, half with a wrong one: both count against the client's IP.
            using var response = await GetAsync("/guarded/x", i % 2 == 0 ? null : "wrong-key");
            statuses.Add(response.StatusCode);
            Assert.Equal(response.StatusCode == HttpStatusCode.TooManyRequests ? "RateLimited" : "Unauthorized", response.Headers.GetValues("x-transformed").Single());
        }

        // Before: 40 × 401 and no 429, each running the key check and the whole chain.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 20).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 20)), statuses);

        // The client's IP is spent: even a valid key waits for the next window on this ClientIp policy.
        using var valid = await GetAsync("/guarded/x", GatewaySettings.ApiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, valid.StatusCode);
        Assert.NotNull(valid.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ConsumerPolicy_CountsEachValidKeyOnItsOwn_AndTheRestByIp()
    {
        async Task<HttpStatusCode[]> ThreeAsync(string? key)
        {
            var statuses = new HttpStatusCode[3];
            for (var i = 0; i < statuses.Length; i++)
            {
                using var response = await GetAsync("/metered/x", key);
                statuses[i] = response.StatusCode;
            }

            return statuses;
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await ThreeAsync(GatewaySettings.ApiKey));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], await ThreeAsync(OtherKey));
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], await ThreeAsync(null));
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], await ThreeAsync("wrong-key"));
    }

    private static void AddKeyedRoute(Dictionary<string, string?> settings, string route, string policy)
    {
        settings[$"ReverseProxy:Routes:{route}:ClusterId"] = "upstream";
        settings[$"ReverseProxy:Routes:{route}:AuthorizationPolicy"] = "api-key";
        settings[$"ReverseProxy:Routes:{route}:RateLimiterPolicy"] = policy;
        settings[$"ReverseProxy:Routes:{route}:Match:Path"] = $"/{route}/{{**catch-all}}";
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null)
        {
            request.Headers.Add("apikey", key);
        }

        return await _gateway.Client.SendAsync(request);
    }
}
