using System.Text.Json.Nodes;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Testing;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scripting.Sandbox;

/// <summary>The allow-list against a corpus of hostile scripts (refused with code and line) and benign ones (they run).</summary>
public sealed class SandboxCorpusTests(SandboxTestFolder folder) : IClassFixture<SandboxTestFolder>
{
    public static TheoryData<string, string, string, int> Hostile => HostileScripts.All;

    public static TheoryData<string, string, string> Benign => BenignScripts.All;

    [Fact]
    public void Corpus_IsLargeEnough()
    {
        Assert.True(HostileScripts.All.Count >= 40, $"{HostileScripts.All.Count} hostile scripts");
        Assert.True(BenignScripts.All.Count >= 20, $"{BenignScripts.All.Count} benign scripts");
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Compile_HostileScript_IsRefusedWithCodeAndLine(string name, string source, string code, int line)
    {
        var compilation = folder.Compile(FileName(name), source);

        Assert.False(compilation.Succeeded, $"'{name}' compiled");
        var refusal = Assert.Single(compilation.Errors, e => e.Code == code && e.Line == line);
        Assert.Matches($@"^/.+\.csx\({line},\d+\): error {code}: ", refusal.ToString());
    }

    [Theory]
    [MemberData(nameof(Benign))]
    public async Task Compile_BenignScript_CompilesAndRuns(string name, string source, string expectedBody)
    {
        var compilation = folder.Compile(FileName(name), source);
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));

        var runner = new TransformRunner(new RecordingWebhookSender(), budget: new TransformBudgetOptions { WallTime = TimeSpan.FromSeconds(5) });
        var result = await runner.RunAsync(
            [compilation.Transform!],
            new ExitResponse(404, new JsonObject { ["message"] = "m" }, null, new ResponseHeaders()),
            TestExits.Request());

        Assert.Empty(result.Failures);
        Assert.Equal(expectedBody, result.Response.Body?.ToJsonString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("// nothing to do yet\n")]
    public async Task Compile_EmptyScript_CompilesAndLeavesTheResponse(string source)
    {
        var compilation = folder.Compile("empty-" + source.Length + ".csx", source);
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));

        var result = await new TransformRunner(new RecordingWebhookSender()).RunAsync(
            [compilation.Transform!],
            new ExitResponse(404, new JsonObject { ["message"] = "m" }, null, new ResponseHeaders()),
            TestExits.Request());

        Assert.Empty(result.Failures);
        Assert.Equal("{\"message\":\"m\"}", result.Response.Body!.ToJsonString());
    }

    [Fact]
    public void Compile_RefusedDiagnostic_SaysWhatToUseInstead()
    {
        var compilation = folder.Compile("socket.csx", "var c = new System.Net.Http.HttpClient();");

        var refusal = Assert.Single(compilation.Errors);
        Assert.Contains("use Webhooks.Send to notify", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("System.Net.Http.HttpClient", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_LoadThroughSymlinkOutOfTheFolder_IsRefusedWithoutReadingIt()
    {
        var outside = Directory.CreateTempSubdirectory("gateway-outside-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.csx"), "var secret = \"TOP-SECRET-CONTENT\";");
            File.CreateSymbolicLink(Path.Combine(folder.Path, "link.csx"), Path.Combine(outside, "secret.csx"));

            var compilation = folder.Compile("uses-link.csx", "#load \"link.csx\"\nvar x = 1;");

            Assert.False(compilation.Succeeded);
            Assert.Contains(compilation.Errors, e => e.Code == "GW0113" && e.Line == 1);
            Assert.DoesNotContain(compilation.Diagnostics, d => d.Message.Contains("TOP-SECRET", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(Path.Combine(folder.Path, "link.csx"));
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task Compile_LoadInsideTheFolder_IsCheckedAndBudgetedToo()
    {
        File.WriteAllText(Path.Combine(folder.Path, "helpers.csx"), "int Spin() { while (true) { } }");
        var compilation = folder.Compile("uses-helpers.csx", "#load \"helpers.csx\"\nif (Status == 404) Spin();");
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));

        var runner = new TransformRunner(new RecordingWebhookSender(), budget: new TransformBudgetOptions { WallTime = TimeSpan.FromMilliseconds(50) });
        var result = await runner.RunAsync(
            [compilation.Transform!],
            new ExitResponse(404, new JsonObject { ["message"] = "m" }, null, new ResponseHeaders()),
            TestExits.Request());

        // Stopped by its own check, or (on a busy machine) answered without at the deadline: either way, stopped.
        Assert.Contains(Assert.Single(result.Failures).Kind, new[] { TransformFailureKind.Budget, TransformFailureKind.Runaway });

        var hostileHelper = folder.Compile("bad-helper.csx", "var s = System.IO.File.ReadAllText(\"/etc/hostname\");");
        File.WriteAllText(Path.Combine(folder.Path, "uses-bad.csx"), "#load \"bad-helper.csx\"\nvar y = 1;");
        var usesBad = folder.Compiler.CompileFile(Path.Combine(folder.Path, "uses-bad.csx"));
        Assert.False(hostileHelper.Succeeded);
        Assert.Contains(usesBad.Errors, e => e.Code == "GW0101" && e.File.EndsWith("bad-helper.csx", StringComparison.Ordinal));
    }

    private static string FileName(string name) => new string(name.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()) + ".csx";
}
