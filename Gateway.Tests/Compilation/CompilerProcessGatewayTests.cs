using System.Diagnostics;
using System.Net;
using Gateway.Compilation;
using Gateway.Scripting.Compilation;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Compilation;

/// <summary>
/// The gateway with its compiler process: Roslyn never loads into the gateway, the compiler goes when idle and comes
/// back for a reload, and a compiler that fails fails start-up or leaves the last good version serving.
/// </summary>
public sealed class CompilerProcessGatewayTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    /// <summary>
    /// The gateway as an operator runs it (<c>dotnet Gateway.dll</c>), having compiled and run a transform: no
    /// <c>Microsoft.CodeAnalysis</c> assembly is mapped into its process (/proc/PID/maps lists every loaded file).
    /// </summary>
    [Theory]
    [InlineData("Process")]
    [InlineData("InProcess")]
    public async Task RunningGateway_HasNoRoslynAssemblyLoaded(string isolation)
    {
        using var folder = new TempFolder("gateway-no-roslyn-");
        var transforms = Directory.CreateDirectory(folder.Combine("Transforms")).FullName;
        File.Copy(Path.Combine(RepositoryPaths.Root, "Transforms", "arr.csx"), Path.Combine(transforms, "arr.csx"));
        await File.WriteAllTextAsync(folder.Combine("appsettings.json"), "{}");
        var port = LoopbackServer.ClosedPort();
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("arr.csx");
        settings["Urls"] = $"http://127.0.0.1:{port}";
        settings["Gateway:Management:Urls"] = string.Empty;
        settings["Gateway:Transforms:Path"] = transforms;
        settings["Gateway:Transforms:Isolation"] = isolation;
        // Generous, so that a loaded machine never cuts the transform short (the test waits for its answer below).
        settings["Gateway:Transforms:Budget:WallTime"] = "00:00:05";
        settings["Gateway:Transforms:Hosts:ReplyMargin"] = "00:00:05";

        using var gateway = ChildProcess.StartGateway(folder.Path, settings);
        var output = new StringWriter();
        gateway.OutputDataReceived += (_, e) => { lock (output) { output.WriteLine(e.Data); } };
        gateway.ErrorDataReceived += (_, e) => { lock (output) { output.WriteLine(e.Data); } };
        gateway.BeginOutputReadLine();
        gateway.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = Patience };
            await TransformedNotFoundAsync(client, gateway, output);

            var maps = await File.ReadAllLinesAsync($"/proc/{gateway.Id}/maps");
            Assert.Contains(maps, line => line.EndsWith("Gateway.Scripting.dll", StringComparison.Ordinal));
            Assert.DoesNotContain(maps, line => line.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        }
        finally
        {
            gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task IdleCompilerExits_ThenAReloadStartsAnother_AndItsVersionServes()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("mark.csx");
        settings["Gateway:Transforms:Isolation"] = "InProcess";
        settings["Gateway:Transforms:Compiler:Isolation"] = "Process"; // TestGateway's default is InProcess
        settings["Gateway:Transforms:Compiler:IdleTimeout"] = "00:00:00.500";
        await using var gateway = await TestGateway.StartAsync(settings, [], files: new Dictionary<string, string> { ["mark.csx"] = Mark("v1") });
        var compiler = gateway.Service<ProcessTransformCompiler>();
        Assert.Equal("v1", await MarkOf(gateway));
        await WaitUntilAsync(() => compiler.ProcessId is null, "the idle compiler process did not exit");
        var starts = compiler.Starts;

        await File.WriteAllTextAsync(Path.Combine(gateway.TransformsFolder, "mark.csx"), Mark("v2"));
        await WaitUntilAsync(async () => await MarkOf(gateway) == "v2", "the new version was not served");

        Assert.Equal(starts + 1, compiler.Starts);
    }

    [Fact]
    public async Task CompilerKilledDuringAReload_TheLastGoodVersionKeepsServing_AndTheErrorNamesTheFile()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("mark.csx");
        settings["Gateway:Transforms:Isolation"] = "InProcess";
        settings["Gateway:Transforms:Compiler:Isolation"] = "Process"; // TestGateway's default is InProcess
        await using var gateway = await TestGateway.StartAsync(settings, [], files: new Dictionary<string, string> { ["mark.csx"] = Mark("v1") });
        var compiler = gateway.Service<ProcessTransformCompiler>();
        var pipe = Path.Combine(gateway.TransformsFolder, "hold.pipe");
        Assert.Equal(0, (await ChildProcess.RunAsync(new ProcessStartInfo("mkfifo", [pipe]))).Exit);

        // The new version #loads the pipe: its compile waits in the compiler process until the pipe's writer closes.
        await File.WriteAllTextAsync(Path.Combine(gateway.TransformsFolder, "mark.csx"), "#load \"hold.pipe\"\n" + Mark("v2"));
        await using (var writer = await Task.Run(() => new FileStream(pipe, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)).WaitAsync(Patience))
        {
            Process.GetProcessById(compiler.ProcessId ?? throw new InvalidOperationException("no compiler process")).Kill();
            var refused = await gateway.Logs.WaitForAsync(e => e.MessageTemplate.Text.StartsWith("Reload of transform", StringComparison.Ordinal), Patience);
            Assert.Matches(@"mark\.csx\(1,1\): error GW0008: This transform could not be compiled: the compiler process \d+ ended", refused.Properties["Diagnostic"].ToString());
        }

        Assert.Equal("v1", await MarkOf(gateway));
    }

    [Theory]
    [InlineData("Process")]
    [InlineData("InProcess")]
    public async Task CompilerIsolation_ChoosesWhereTransformsCompile_AndEitherServesThem(string isolation)
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("mark.csx");
        settings["Gateway:Transforms:Isolation"] = "InProcess";
        settings["Gateway:Transforms:Compiler:Isolation"] = isolation;
        await using var gateway = await TestGateway.StartAsync(settings, [], files: new Dictionary<string, string> { ["mark.csx"] = Mark("v1") });

        Assert.Equal("v1", await MarkOf(gateway));
        var chosen = Assert.IsType<ConfiguredTransformCompiler>(gateway.Service<ITransformCompiler>()).Chosen;
        if (isolation == "Process")
        {
            Assert.Same(gateway.Service<ProcessTransformCompiler>(), chosen);
            Assert.Equal(1, gateway.Service<ProcessTransformCompiler>().Starts);
        }
        else
        {
            Assert.IsType<TransformCompiler>(chosen);
            Assert.Equal(0, gateway.Service<ProcessTransformCompiler>().Starts);
        }
    }

    [Fact]
    public async Task CompilerPastItsDeadlineAtStartUp_StopsStartUp_NamingTheFile()
    {
        var settings = GatewaySettings.For(_upstream.Address).WithGlobal("mark.csx");
        settings["Gateway:Transforms:Isolation"] = "InProcess";
        settings["Gateway:Transforms:Compiler:Isolation"] = "Process"; // TestGateway's default is InProcess
        // No compiler process starts and compiles within a millisecond: the bound transform's compile overruns.
        settings["Gateway:Transforms:Compiler:Deadline"] = "00:00:00.001";

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            TestGateway.StartAsync(settings, [], files: new Dictionary<string, string> { ["mark.csx"] = Mark("v1") }));

        Assert.Matches(@"mark\.csx\(1,1\): error GW0008: The compiler process did not finish compiling this transform within 00:00:00.0010000", failure.ToString());
    }

    private static string Mark(string version) => $"Headers[\"x-mark\"] = \"{version}\";\n";

    private static async Task<string?> MarkOf(TestGateway gateway)
    {
        using var response = await gateway.Client.GetAsync("/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        return response.Headers.TryGetValues("x-mark", out var values) ? values.Single() : null;
    }

    /// <summary>Waits until the gateway answers a 404 that arr.csx transformed (hosts may still be warming up at first).</summary>
    private static async Task TransformedNotFoundAsync(HttpClient client, Process gateway, StringWriter output)
    {
        var clock = Stopwatch.StartNew();
        var last = "(no answer)";
        while (true)
        {
            Assert.False(gateway.HasExited, $"the gateway ended at start-up: {output}");
            Assert.True(clock.Elapsed < Patience, $"the gateway did not serve a transformed 404 within {Patience} (last: {last}): {output}");
            try
            {
                using var response = await client.GetAsync("/nowhere");
                last = await response.Content.ReadAsStringAsync();
                if (last.Contains("arr!", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, string failure) => WaitUntilAsync(() => Task.FromResult(condition()), failure);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < Patience, failure);
            await Task.Delay(50);
        }
    }
}
