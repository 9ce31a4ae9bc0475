using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Management;

/// <summary>
/// The dashboard in a real headless Chromium, against a running gateway, after a script error and a quarantine. In the
/// budget group: quarantine needs a transform that burns CPU on purpose.
/// </summary>
[Collection(BudgetGroup.Name)]
public sealed class DashboardTests
{
    [ChromiumFact]
    public async Task Dashboard_RendersAScriptErrorAQuarantineTheAlertPipelineAndTheLatestTerminations()
    {
        await using var upstream = await TestUpstream.StartAsync();
        var settings = GatewaySettings.For(upstream.Address)
            .WithGlobal("slack-alert.csx")
            .WithRoute("open", "throws.csx")
            .WithRoute("down", "spin.csx");
        settings["Gateway:Transforms:Budget:WallTime"] = "00:00:00.020";
        settings["Gateway:Transforms:Budget:QuarantineAfter"] = "2";
        await using var gateway = await TestGateway.StartAsync(
            settings, ["Transforms/slack-alert.csx", "Gateway.Tests/Fixtures/throws.csx", "Gateway.Tests/Fixtures/Sandbox/spin.csx"]);

        using (var failing = await gateway.Client.GetAsync("/open/errors/status/500"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        }

        // A breach counts when the run really spent its time on the CPU; on a busy machine one may not. Quarantine is
        // seen by the status API at the first skipped run.
        for (var i = 0; i < 30 && !(await gateway.Management.GetStringAsync("/status/transforms")).Contains("\"quarantined\"", StringComparison.Ordinal); i++)
        {
            using var response = await gateway.Client.GetAsync($"/down/{i}");
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        }

        // The same state in /metrics: breaches of spin.csx, the quarantine gauge, the skipped run.
        var metrics = PrometheusText.Parse(await gateway.Management.GetStringAsync("/metrics"));
        Assert.True(metrics.Matching("gateway_transforms_budget_breaches_total", ("gateway_transform", "spin.csx")).Sum(m => m.Value) >= 2);
        Assert.Equal(1, metrics.Value("gateway_transforms_quarantined", ("gateway_transform", "spin.csx")));
        Assert.True(metrics.Value("gateway_transforms_failures_total", ("gateway_transform", "spin.csx"), ("gateway_failure_kind", "quarantined")) >= 1);
        Assert.Equal(1, metrics.Value("gateway_transforms_failures_total", ("gateway_transform", "throws.csx"), ("gateway_failure_kind", "exception")));

        var dom = await HeadlessChromium.DumpDomAsync(gateway.ManagementAddress!);

        Assert.Contains("data-loaded=\"true\"", dom, StringComparison.Ordinal);
        Assert.Contains("<tr data-transform=\"spin.csx\" data-state=\"quarantined\"", dom, StringComparison.Ordinal);
        Assert.Contains("<span class=\"state state-quarantined\">quarantined</span>", dom, StringComparison.Ordinal);
        Assert.Contains("<tr data-transform=\"throws.csx\" data-state=\"active\" class=\"state-row-active failing\">", dom, StringComparison.Ordinal);
        Assert.Contains("Exception at line 4: InvalidOperationException: this transform always fails", dom, StringComparison.Ordinal);
        Assert.Contains("<tr data-destination=\"slack\">", dom, StringComparison.Ordinal);
        Assert.Contains("<tr data-route=\"down\">", dom, StringComparison.Ordinal);
        Assert.Contains("UpstreamUnreachable: ", dom, StringComparison.Ordinal);
        Assert.Contains("UpstreamResponse: 1", dom, StringComparison.Ordinal);

        // README's picture: GATEWAY_DASHBOARD_SCREENSHOT=/path/to/docs/dashboard.png dotnet test --filter DashboardTests
        if (Environment.GetEnvironmentVariable("GATEWAY_DASHBOARD_SCREENSHOT") is { Length: > 0 } screenshot)
        {
            await HeadlessChromium.ScreenshotAsync(gateway.ManagementAddress!, screenshot);
            Assert.True(File.Exists(screenshot));
        }
    }
}
