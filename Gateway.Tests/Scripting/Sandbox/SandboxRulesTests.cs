using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Scripting.Compilation;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Sandbox;
using Gateway.Scripting.Testing;
using Gateway.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Gateway.Tests.Scripting.Sandbox;

/// <summary>
/// The sandbox's rule table (<see cref="SandboxRules"/>): its entries pick members by symbol, not by the names of
/// their parameters, and one entry drives both the analyser and the budget rewriter.
/// </summary>
public sealed class SandboxRulesTests(SandboxTestFolder folder) : IClassFixture<SandboxTestFolder>
{
    private const string Reserve = "ExecutionBudget.Reserve(";

    [Fact]
    public void Resolve_BothReferenceSets_EveryEntryIsFound()
    {
        // An entry that named nothing would switch its rule off in silence: the table refuses to resolve instead.
        _ = new SandboxRules(CSharpCompilation.Create("restricted", references: ScriptReferences.Assemblies));
        _ = new SandboxRules(CSharpCompilation.Create("analysis", references: ScriptReferences.AnalysisAssemblies));
    }

    [Theory]
    // The size parameter is named neither "count" nor "capacity": charged all the same, as its entry says.
    [InlineData("var q = new PriorityQueue<string, int>(size);", true)]
    [InlineData("var s = \"x\".PadLeft(size);", true)]
    [InlineData("var b = new StringBuilder().Append('x', size);", true)]
    [InlineData("var l = new List<string>(size);", true)]
    [InlineData("var e = Enumerable.Repeat(1L, size);", true)]
    [InlineData("var h = new HashSet<int>(size);", true)]
    [InlineData("var q = new Queue<string>(size);", true)]
    // A parameter named "count" that bounds a copy of what is already there: not an allocation, not charged.
    [InlineData("var b = new StringBuilder().Append(\"abc\", 0, size);", false)]
    [InlineData("var l = new List<string> { \"a\" }.GetRange(0, size);", false)]
    public void Rewrite_SizeArgument_IsChargedOnlyWhereTheTableSaysSo(string line, bool charged)
    {
        var woven = Weave("var size = Status;\n" + line);

        Assert.Equal(charged, woven.Contains(Reserve, StringComparison.Ordinal));
    }

    [Fact]
    public void MatchTimeoutEntry_DrivesTheAnalyserAndTheRewriter()
    {
        // The analyser asks for a timeout where the entry's type matches without one...
        var refused = folder.Compile("regex-without-timeout.csx", "var r = new Regex(\"a+\");");
        Assert.Contains(refused.Errors, e => e.Code == SandboxCodes.RegexTimeout && e.Line == 1);

        // ...and the rewriter caps the timeout given to the same type's members.
        var woven = Weave("var r = new Regex(\"a+\", RegexOptions.None, TimeSpan.FromMinutes(5));");
        Assert.Contains("ExecutionBudget.RegexTimeout(TimeSpan.FromMinutes(5))", woven, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CapacityUnderAnotherName_BreachesTheMemoryBudget()
    {
        var compilation = folder.Compile("priority-queue.csx", "var q = new PriorityQueue<string, int>(Status * 100_000);");
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
        var runner = new TransformRunner(
            new RecordingWebhookSender(),
            budget: new TransformBudgetOptions { MaxAllocatedBytes = 1024 * 1024, WallTime = TimeSpan.FromSeconds(10) });

        var result = await runner.RunAsync(
            [compilation.Transform!], new ExitResponse(404, new JsonObject { ["message"] = "m" }, null, new ResponseHeaders()), TestExits.Request());

        var failure = Assert.Single(result.Failures);
        Assert.Equal(BudgetBreach.Memory, Assert.IsType<TransformBudgetExceededException>(failure.Exception).Breach);
    }

    private static string Weave(string source)
    {
        var options = ScriptOptions.Default
            .WithReferences(ScriptReferences.Assemblies)
            .WithImports(ScriptReferences.Imports)
            .WithMetadataResolver(NoMetadataReferencesResolver.Instance);
        var compilation = CSharpScript.Create(source, options, typeof(ExitContext)).GetCompilation();
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var tree = compilation.SyntaxTrees.Single();

        return BudgetRewriter.Rewrite(tree, compilation.GetSemanticModel(tree), new SandboxRules(compilation), CancellationToken.None);
    }
}
