using System.Diagnostics;
using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Runaway and failing scripts bound to a live gateway: every request still gets its correct response, soon,
/// while other requests keep flowing. Time bounds are generous: the machines are shared and noisy.
/// </summary>
[Collection(BudgetGroup.Name)]
public sealed class SandboxGatewayTests : IAsyncLifetime
{
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Theory]
    [InlineData("Gateway.Tests/Fixtures/Sandbox/spin.csx")]
    [InlineData("Gateway.Tests/Fixtures/Sandbox/spin-catch-all.csx")]
    [InlineData("Gateway.Tests/Fixtures/Sandbox/recursion.csx")]
    [InlineData("Gateway.Tests/Fixtures/Sandbox/allocation-bomb.csx")]
    [InlineData("Gateway.Tests/Fixtures/Sandbox/giant-array.csx")]
    [InlineData("Gateway.Tests/Fixtures/Sandbox/slow-library-call.csx")]
    [InlineData("Gateway.Tests/Fixtures/Sandbox/catastrophic-regex.csx")]
    [InlineData("Gateway.Tests/Fixtures/throws.csx")]
    public async Task FailingTransform_ClientStillGetsTheResponse_AndOtherRequestsFlow(string fixture)
    {
        var name = Path.GetFileName(fixture);
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("down", name);
        settings["Gateway:Transforms:Budget:WallTime"] = "00:00:00.020";
        await using var gateway = await TestGateway.StartAsync(settings, [fixture]);

        // Terminations on the bound route, and proxied requests beside them, all at once.
        var clock = Stopwatch.StartNew();
        var failing = Enumerable.Range(0, 4).Select(i => gateway.Client.GetAsync($"/down/{i}")).ToArray();
        var healthy = Enumerable.Range(0, 8).Select(i => gateway.Client.GetAsync($"/open/{i}")).ToArray();
        var responses = await Task.WhenAll(failing.Concat(healthy));
        clock.Stop();

        foreach (var response in responses.Take(failing.Length))
        {
            await HttpAssert.TerminationAsync(response, HttpStatusCode.BadGateway, "The upstream server could not be reached");
        }

        Assert.All(responses.Skip(failing.Length), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"12 requests took {clock.Elapsed}");
        var logged = await gateway.Logs.RequestLogAsync("/down/0");
        Assert.Contains(name, logged.Properties["TransformFailures"].ToString(), StringComparison.Ordinal);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task RepeatedBreaches_QuarantineTheTransform_UntilItsFileChanges()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithRoute("down", "spin.csx");
        settings["Gateway:Transforms:Budget:WallTime"] = "00:00:00.020";
        settings["Gateway:Transforms:Budget:QuarantineAfter"] = "2";
        await using var gateway = await TestGateway.StartAsync(settings, ["Gateway.Tests/Fixtures/Sandbox/spin.csx"]);

        // A breach counts when the run really spent its time on the CPU; on a busy machine one may not.
        for (var i = 0; i < 20 && !IsQuarantined(gateway); i++)
        {
            using var response = await gateway.Client.GetAsync($"/down/{i}");
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        var quarantined = Assert.Single(gateway.Logs.Events, e => e.MessageTemplate.Text.Contains("is quarantined: it is skipped", StringComparison.Ordinal));
        Assert.Equal("\"spin.csx\"", quarantined.Properties["Transform"].ToString());

        var clock = Stopwatch.StartNew();
        using var skipped = await gateway.Client.GetAsync("/down/skipped");
        Assert.Equal(HttpStatusCode.BadGateway, skipped.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "a quarantined transform is not run");
        var logged = await gateway.Logs.RequestLogAsync("/down/skipped");
        Assert.Contains("spin.csx", logged.Properties["TransformFailures"].ToString(), StringComparison.Ordinal);

        static bool IsQuarantined(TestGateway gateway) =>
            gateway.Logs.Events.Any(e => e.MessageTemplate.Text.Contains("is quarantined: it is skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WidenedAllowList_LetsTheDeploymentsTypesThrough()
    {
        using var folder = new TempFolder("gateway-widened-");
        File.WriteAllText(folder.Combine("big.csx"), "Body = new JsonObject { [\"n\"] = System.Numerics.BigInteger.Pow(2, 70).ToString() };\n");
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("big.csx");
        settings["Gateway:Transforms:Path"] = folder.Path;
        settings["Gateway:Transforms:Sandbox:AllowedTypes:0"] = "System.Numerics.BigInteger";
        await using var gateway = await TestGateway.StartAsync(settings, []);

        using var response = await gateway.Client.GetAsync("/nowhere");

        Assert.Equal("{\"n\":\"1180591620717411303424\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HostileTransformBound_StopsStartUpWithTheSandboxCode()
    {
        using var folder = new TempFolder("gateway-hostile-");
        File.WriteAllText(folder.Combine("peek.csx"), "// reads a secret\nText = Environment.GetEnvironmentVariable(\"Gateway__Webhooks__Destinations__slack__Url\");\n");
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("peek.csx");
        settings["Gateway:Transforms:Path"] = folder.Path;

        var error = await Assert.ThrowsAsync<Gateway.Transforms.TransformCatalogException>(() => TestGateway.StartAsync(settings, []));

        Assert.Matches(@"peek\.csx\(2,8\): error GW0106: 'System\.Environment' is not available to transforms", Assert.Single(error.Errors).ToString());
    }
}
