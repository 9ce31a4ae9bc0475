using System.Diagnostics;
using Gateway.Commands;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Commands;

/// <summary>The gateway's command line, run as a real process: the built <c>Gateway.dll</c>, in a folder of its own.</summary>
public sealed class CommandLineTests
{
    private const string BrokenSettings = """
        {
          "Urls": "http://127.0.0.1:0",
          "Gateway": {
            "Management": { "Urls": "ftp://127.0.0.1:0" },
            "Telemetry": { "OtlpProtocol": "Pigeon" },
            "RateLimits": { "tight": { "PermitLimit": 0 } },
            "Transforms": { "Path": "Transforms", "MaxUpstreamBodyBytes": -1 },
            "Webhooks": { "Default": "nowhere", "Destinations": { "slack": { "Url": "https://hooks.example/secret-path", "QueueCapacity": 0 } } },
            "DemoUpstream": { "Enabled": true, "Url": "not a url" }
          }
        }
        """;

    private static readonly string[] ExpectedProblems =
    [
        "Gateway:Management:Urls has 'ftp://127.0.0.1:0'",
        "Gateway:Telemetry:OtlpProtocol is 'Pigeon'",
        "Gateway:RateLimits:tight:PermitLimit is 0",
        "Gateway:Transforms:MaxUpstreamBodyBytes is -1",
        "Gateway:Webhooks:Default names 'nowhere'",
        "Gateway:Webhooks:Destinations:slack:QueueCapacity must be positive",
        "Gateway:DemoUpstream:Url is 'not a url'",
    ];

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_PrintsUsage_ExitsZero(string flag)
    {
        var run = await RunAsync([flag]);

        Assert.Equal(0, run.Exit);
        Assert.Contains("usage: Gateway [command]", run.Output, StringComparison.Ordinal);
        Assert.Contains("check [folder]", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheVersion_ExitsZero()
    {
        var run = await RunAsync(["--version"]);

        Assert.Equal(0, run.Exit);
        Assert.Equal(CommandLine.Version, run.Output.Trim());
    }

    [Fact]
    public async Task UnknownCommand_PrintsUsage_ExitsTwo_WithoutStarting()
    {
        var run = await RunAsync(["serve-please"]);

        Assert.Equal(2, run.Exit);
        Assert.Contains("unknown command 'serve-please'", run.Errors, StringComparison.Ordinal);
        Assert.Contains("usage: Gateway [command]", run.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigurationErrors_InEverySection_OneCleanLineEach_ExitOne()
    {
        var run = await RunAsync([], BrokenSettings);

        Assert.Equal(1, run.Exit);
        var lines = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var problem in ExpectedProblems)
        {
            Assert.Single(lines, l => l.StartsWith(problem, StringComparison.Ordinal));
        }

        Assert.Equal(ExpectedProblems.Length, lines.Length);
        Assert.DoesNotContain("   at ", run.Errors + run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-path", run.Errors + run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValueThatDoesNotConvert_OneCleanLineNamingTheKey_ExitOne()
    {
        var run = await RunAsync([], """{ "Urls": "http://127.0.0.1:0", "Gateway": { "Management": { "Urls": "" }, "Webhooks": { "DrainTimeout": "soon" } } }""");

        Assert.Equal(1, run.Exit);
        var line = Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Gateway:Webhooks:DrainTimeout", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Errors + run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManagementOnTheProxysPort_IsRefused_NamingTheKey()
    {
        var run = await RunAsync([], """{ "Urls": "http://127.0.0.1:18555", "Gateway": { "Management": { "Urls": "http://127.0.0.1:18555" } } }""");

        Assert.Equal(1, run.Exit);
        var line = Assert.Single(run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("Gateway:Management:Urls has port 18555, which Urls (the proxy) listens on too", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_RunsExactlyTheStartUpValidators()
    {
        var run = await RunAsync(["check"], BrokenSettings);

        Assert.Equal(1, run.Exit);
        foreach (var problem in ExpectedProblems)
        {
            Assert.Contains($"error GW0003: {problem}", run.Output, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("secret-path", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_FolderThatDoesNotExist_SaysSo()
    {
        var run = await RunAsync(["check", "no-such-folder"], """{ "Gateway": { "Transforms": { "Path": "Transforms" } } }""");

        Assert.Equal(1, run.Exit);
        Assert.Matches(@"no-such-folder\(1,1\): error GW0007: The transforms folder .*no-such-folder does not exist\.", run.Output);
    }

    [Fact]
    public async Task Try_MissingFile_ExitsOneWithAMessage()
    {
        var run = await RunAsync(["try", "nothing-here.csx", "--status", "401"]);

        Assert.Equal(1, run.Exit);
        Assert.Matches(@"try: .*nothing-here\.csx does not exist\.", run.Output);
        Assert.DoesNotContain("Unhandled exception", run.Errors, StringComparison.Ordinal);
    }

    private static async Task<ChildProcessResult> RunAsync(IEnumerable<string> args, string? settings = null)
    {
        using var folder = new TempFolder("gateway-cli-");
        Directory.CreateDirectory(folder.Combine("Transforms"));
        await File.WriteAllTextAsync(folder.Combine("appsettings.json"), settings ?? "{}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder.Path };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Not the test run's environment: no ASPNETCORE_/DOTNET_ settings leak into the gateway under test.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_URLS");
        return await ChildProcess.RunAsync(start);
    }
}
