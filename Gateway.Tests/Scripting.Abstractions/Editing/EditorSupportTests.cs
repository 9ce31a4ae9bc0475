using System.Reflection;
using Gateway.Scripting.Compilation;
using Gateway.Scripting.Editing;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Testing;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis;

namespace Gateway.Tests.Scripting.Abstractions.Editing;

/// <summary>
/// The editor support in Transforms/ (omnisharp.json, transforms.rsp and <see cref="TransformGlobals"/>): OmniSharp's
/// view of a transform (a script with csi's globals, the rsp's references and imports) compiles every bundled
/// transform, the stub mirrors the real globals, and the gateway's sandbox gives the stub nothing.
/// </summary>
public sealed class EditorSupportTests(SandboxTestFolder folder) : IClassFixture<SandboxTestFolder>
{
    private static readonly string Rsp = Path.Combine(RepositoryPaths.Transforms, "transforms.rsp");

    [Fact]
    public void TransformGlobals_MirrorsEveryGlobalOfExitContext()
    {
        var globals = typeof(ExitContext).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var stub = typeof(TransformGlobals).GetProperties(BindingFlags.Public | BindingFlags.Static);

        Assert.Equal(globals.Select(p => p.Name).Order(), stub.Select(p => p.Name).Order());
        foreach (var global in globals)
        {
            var mirror = stub.Single(p => p.Name == global.Name);
            Assert.Equal(global.PropertyType, mirror.PropertyType);
            Assert.Equal(global.SetMethod?.IsPublic ?? false, mirror.SetMethod?.IsPublic ?? false);
        }
    }

    [Fact]
    public void Rsp_ImportsWhatTheGatewayImports_PlusTheStub()
    {
        var imports = RspLines("/u:").ToList();

        Assert.Equal([.. ScriptReferences.Imports, typeof(TransformGlobals).FullName!], imports);
    }

    [Fact]
    public void Rsp_ReferencesWhatTransformsCompileAgainst_FromTheDebugBuild()
    {
        // Relative to the workspace (Transforms/ opened on its own), as OmniSharp resolves them; `dotnet build` puts
        // them there.
        var compiledAgainst = ScriptReferences.Assemblies.OfType<PortableExecutableReference>().Select(r => Path.GetFileName(r.FilePath)).ToHashSet();
        Assert.All(RspLines("/r:"), path =>
        {
            Assert.StartsWith("../Gateway.Scripting.Abstractions/bin/Debug/net10.0/", path, StringComparison.Ordinal);
            Assert.Contains(Path.GetFileName(path), compiledAgainst);
        });
    }

    [Theory]
    [MemberData(nameof(BundledTransforms))]
    public void BundledTransform_CompilesInTheEditorsView(string name)
    {
        var source = File.ReadAllText(Path.Combine(RepositoryPaths.Transforms, name));

        var diagnostics = CSharpScript.Create(source, EditorOptions(), typeof(CommandLineScriptGlobals)).Compile();

        Assert.Empty(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void MistakeInATransform_IsAnErrorInTheEditorsViewToo()
    {
        var diagnostics = CSharpScript.Create("Headers = null;\nWebhooks.Sendd(\"x\");\n", EditorOptions(), typeof(CommandLineScriptGlobals)).Compile();

        Assert.Contains(diagnostics, d => d.Id == "CS0200"); // Headers is read-only
        Assert.Contains(diagnostics, d => d.Id == "CS1061"); // no Sendd
    }

    [Fact]
    public void TransformNamingTheStub_IsRefusedByTheGateway()
    {
        var compilation = folder.Compile("names-stub.csx", "Gateway.Scripting.Editing.TransformGlobals.Status = 500;\n");

        Assert.False(compilation.Succeeded);
        var refusal = Assert.Single(compilation.Diagnostics);
        Assert.Equal("GW0100", refusal.Code);
        Assert.Contains("for editors only", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsingStaticOfTheStub_StillBindsToTheRealGlobals()
    {
        var compilation = folder.Compile("using-stub.csx", "using static Gateway.Scripting.Editing.TransformGlobals;\nStatus = 418;\n");

        // Refused, or compiled with the globals winning the lookup: either way the stub never runs.
        if (compilation.Succeeded)
        {
            var result = await new TransformRunner(new RecordingWebhookSender()).RunAsync([compilation.Transform!], new ExitResponse(401, null, null, new ResponseHeaders()), TestExits.Request());
            Assert.Empty(result.Failures);
            Assert.Equal(418, result.Response.Status);
        }
        else
        {
            Assert.Contains(compilation.Diagnostics, d => d.Code.StartsWith("GW01", StringComparison.Ordinal));
        }
    }

    public static TheoryData<string> BundledTransforms() =>
        [.. Directory.EnumerateFiles(RepositoryPaths.Transforms, "*.csx").Select(path => Path.GetFileName(path)).Order()];

    private static ScriptOptions EditorOptions()
    {
        // OmniSharp gives a script the whole framework of its target (net10.0), then the rsp's assemblies.
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = Directory.EnumerateFiles(runtime, "*.dll")
            .Where(path => Path.GetFileName(path) is var file
                && (file.StartsWith("System.", StringComparison.Ordinal) || file.StartsWith("Microsoft.", StringComparison.Ordinal) || file is "mscorlib.dll" or "netstandard.dll")
                && !file.Contains("Native", StringComparison.Ordinal));
        var references = framework.Concat(RspLines("/r:").Select(Resolve)).Select(path => MetadataReference.CreateFromFile(path));
        return ScriptOptions.Default.WithReferences(references).WithImports(RspLines("/u:"));
    }

    // The rsp's path where the Debug build put it; otherwise (a Release or artifacts-path build) the same assembly
    // as this process loaded it.
    private static string Resolve(string rspPath)
    {
        var path = Path.Combine(RepositoryPaths.Transforms, rspPath);
        return File.Exists(path)
            ? path
            : AppDomain.CurrentDomain.GetAssemblies().First(a => !a.IsDynamic && Path.GetFileName(a.Location) == Path.GetFileName(rspPath)).Location;
    }

    private static IEnumerable<string> RspLines(string prefix) =>
        File.ReadLines(Rsp).Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..]);
}
