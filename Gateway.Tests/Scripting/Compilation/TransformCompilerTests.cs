using System.Runtime.Loader;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Text;
using Gateway.Scripting.Compilation;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scripting.Compilation;

public sealed partial class TransformCompilerTests : IDisposable
{
    private const string Arr = """
        if (Body?["message"] is not JsonValue message) return;
        Headers["x-some-header"] = "some value";
        Body = new JsonObject { ["error"] = true, ["status"] = Status, ["message"] = $"{message}, arr!" };
        """;

    private readonly TempTransformsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void CompileFile_ValidScript_Succeeds()
    {
        var path = _folder.Write("arr.csx", Arr);

        var compilation = _folder.Compiler.CompileFile(path);

        Assert.True(compilation.Succeeded);
        Assert.Empty(compilation.Errors);
        Assert.NotNull(compilation.Transform);
        Assert.Equal("arr.csx", compilation.Name);
        Assert.Equal(path, compilation.FilePath);
        Assert.Equal("arr.csx", compilation.Transform.Name);
        Assert.Equal(path, compilation.Transform.FilePath);
        Assert.Matches(Sha256Hex(), compilation.Transform.SourceHash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Arr))), compilation.Transform.SourceHash);
    }

    [Fact]
    public void CompileFile_SameSource_SameHash()
    {
        var first = _folder.CompileTransform("first.csx", Arr);
        var second = _folder.CompileTransform("second.csx", Arr);
        var changed = _folder.CompileTransform("changed.csx", Arr + "\n// changed");

        Assert.Equal(first.SourceHash, second.SourceHash);
        Assert.NotEqual(first.SourceHash, changed.SourceHash);
    }

    [Fact]
    public void CompileFile_InSubfolder_NameIsRelativeWithForwardSlashes()
    {
        var compilation = _folder.Compile(Path.Combine("errors", "auth", "arr.csx"), Arr);

        Assert.True(compilation.Succeeded);
        Assert.Equal("errors/auth/arr.csx", compilation.Name);
        Assert.Equal("errors/auth/arr.csx", compilation.Transform!.Name);
    }

    [Fact]
    public void CompileFile_OutsideFolder_NameIsFileName()
    {
        var path = _folder.WriteOutside("elsewhere.csx", Arr);

        var compilation = _folder.Compiler.CompileFile(path);

        Assert.True(compilation.Succeeded);
        Assert.Equal("elsewhere.csx", compilation.Name);
    }

    [Theory]
    [MemberData(nameof(SampleTransforms.Names), MemberType = typeof(SampleTransforms))]
    public void CompileFile_SampleTransform_CompilesWithoutErrors(string name)
    {
        var compiler = new TransformCompiler(SampleTransforms.Folder);

        var compilation = compiler.CompileFile(Path.Combine(SampleTransforms.Folder, name));

        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
        Assert.Empty(compilation.Errors);
        Assert.Equal(name, compilation.Name);
    }

    [Fact]
    public void SampleTransforms_AreFound()
    {
        // Guards the theory above against passing vacuously on an empty folder.
        Assert.Contains("arr.csx", SampleTransforms.FileNames);
    }

    [Theory]
    [InlineData("// a comment\nvar x = ;\n", 2, 9, "CS1525", "Invalid expression term ';'")]
    [InlineData("Status = 200;\n\nHeaders[\"a\"] = undefinedName;\n", 3, 16, "CS0103", "The name 'undefinedName' does not exist in the current context")]
    [InlineData("Status = \"401\";", 1, 10, "CS0029", "Cannot implicitly convert type 'string' to 'int'")]
    [InlineData("Headers[\"a\"] = \"b\";\n    Body.Frobnicate();", 2, 10, "CS1061", "'JsonNode' does not contain a definition for 'Frobnicate' and no accessible extension method 'Frobnicate' accepting a first argument of type 'JsonNode' could be found (are you missing a using directive or an assembly reference?)")]
    public void CompileFile_Error_ReportsFileLineColumnCodeAndMessage(string source, int line, int column, string code, string message)
    {
        var path = _folder.Write("broken.csx", source);

        var compilation = _folder.Compiler.CompileFile(path);

        Assert.False(compilation.Succeeded);
        Assert.Null(compilation.Transform);
        var error = Assert.Single(compilation.Errors);
        Assert.Equal((path, line, column, code), (error.File, error.Line, error.Column, error.Code));
        Assert.Equal($"{path}({line},{column}): error {code}: {message}", error.ToString());
    }

    [Fact]
    public void CompileFile_Warning_StillSucceedsAndReportsIt()
    {
        var compilation = _folder.Compile("warns.csx", "return;\nStatus = 500;\n");

        Assert.True(compilation.Succeeded);
        var warning = Assert.Single(compilation.Diagnostics);
        Assert.False(warning.IsError);
        Assert.Equal("CS0162", warning.Code);
        Assert.StartsWith($"{compilation.FilePath}(2,1): warning CS0162: ", warning.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CompileFile_MissingFile_ReportsGW0001()
    {
        var path = Path.Combine(_folder.Folder, "missing.csx");

        var compilation = _folder.Compiler.CompileFile(path);

        Assert.False(compilation.Succeeded);
        Assert.Equal("missing.csx", compilation.Name);
        var error = Assert.Single(compilation.Errors);
        Assert.Equal("GW0001", error.Code);
        Assert.StartsWith($"{path}(1,1): error GW0001: ", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#r \"System.IO\"")]
    [InlineData("#r \"System.Net.Http.dll\"")]
    [InlineData("#r \"nuget: Newtonsoft.Json, 13.0.3\"")]
    [InlineData("#r \"{http}\"")]
    public void CompileFile_MetadataReference_IsRefused(string directive)
    {
        // {http} is the real, absolute path of System.Net.Http.dll: refused although the file exists.
        directive = directive.Replace("{http}", typeof(HttpClient).Assembly.Location, StringComparison.Ordinal);

        var compilation = _folder.Compile("references.csx", directive + "\nStatus = 500;\n");

        Assert.False(compilation.Succeeded);
        Assert.Contains(compilation.Errors, e => e.Line == 1);
    }

    [Fact]
    public async Task CompileFile_LoadInsideFolder_CompilesAndRuns()
    {
        _folder.Write(Path.Combine("lib", "shout.csx"), "static string Shout(string s) => s.ToUpperInvariant() + \"!\";\n");
        var transform = _folder.CompileTransform("main.csx", "#load \"lib/shout.csx\"\nHeaders[\"x-shout\"] = Shout(\"arr\");\n");
        var globals = TestExits.Context();

        await transform.InvokeAsync(globals);

        Assert.Equal("ARR!", globals.Headers["x-shout"]);
    }

    [Theory]
    [InlineData("../outside.csx")]
    [InlineData("lib/../../outside.csx")]
    [InlineData("{outside}")]
    public void CompileFile_LoadOutsideFolder_IsRefusedWithoutQuotingTheFile(string reference)
    {
        // Were the file read, CS0103 would quote the identifier it holds.
        var secret = "TopSecret_" + Guid.NewGuid().ToString("N");
        var outside = _folder.WriteOutside("outside.csx", $"Headers[\"leak\"] = {secret};\n");
        reference = reference.Replace("{outside}", outside, StringComparison.Ordinal);

        var compilation = _folder.Compile("main.csx", $"#load \"{reference}\"\nStatus = 500;\n");

        Assert.False(compilation.Succeeded);
        Assert.Contains(compilation.Errors, e => e.File == compilation.FilePath && e.Line == 1);
        Assert.DoesNotContain(compilation.Diagnostics, d => d.ToString().Contains("TopSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void CompileFile_LoadSymlinkPointingOutside_IsRefusedWithoutQuotingTheFile()
    {
        var secret = "TopSecret_" + Guid.NewGuid().ToString("N");
        var outside = _folder.WriteOutside("outside.csx", $"Headers[\"leak\"] = {secret};\n");
        File.CreateSymbolicLink(Path.Combine(_folder.Folder, "link.csx"), outside);

        var compilation = _folder.Compile("main.csx", "#load \"link.csx\"\nStatus = 500;\n");

        Assert.False(compilation.Succeeded);
        Assert.DoesNotContain(compilation.Diagnostics, d => d.ToString().Contains("TopSecret", StringComparison.Ordinal));
    }

    [Fact]
    public void CompileFile_LoadEtcPasswd_IsRefusedWithoutQuotingIt()
    {
        var compilation = _folder.Compile("main.csx", "#load \"/etc/passwd\"\nStatus = 500;\n");

        Assert.False(compilation.Succeeded);
        Assert.Contains(compilation.Errors, e => e.File == compilation.FilePath && e.Line == 1);
        Assert.DoesNotContain(compilation.Diagnostics, d => d.Message.Contains("root", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("var client = new System.Net.Http.HttpClient();")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\");")]
    [InlineData("System.Net.Sockets.Socket? socket = null;")]
    [InlineData("System.Console.WriteLine(\"hi\");")]
    [InlineData("unsafe { var x = 1; var p = &x; }")]
    public void CompileFile_OutsideReferenceSet_DoesNotCompile(string source)
    {
        var compilation = _folder.Compile("reach.csx", source);

        Assert.False(compilation.Succeeded);
        Assert.NotEmpty(compilation.Errors);
    }

    [Theory]
    [InlineData("Text = System.IO.File.ReadAllText(\"/etc/passwd\");")]
    [InlineData("System.IO.Directory.Delete(\"/tmp/anything\", true);")]
    [InlineData("new System.Threading.Thread(() => { }).Start();")]
    [InlineData("Text = typeof(object).Assembly.GetType(\"System.IO.File\")?.FullName;")]
    [InlineData("Text = Environment.GetEnvironmentVariable(\"Gateway__Webhooks__Destinations__slack__Url\");")]
    [InlineData("Environment.Exit(1);")]
    public void CompileFile_ApiTheContractRefuses_DoesNotCompile(string source)
    {
        var compilation = _folder.Compile("reach.csx", source);

        Assert.False(compilation.Succeeded);
    }

    [Fact]
    public async Task CompileFile_BareReturn_LeavesTheResponseUnchanged()
    {
        var transform = _folder.CompileTransform("noop.csx", "if (Status == 401) return;\nStatus = 500;\nBody = null;\nHeaders[\"x-ran\"] = \"yes\";\n");
        var body = new JsonObject { ["message"] = "No API key found in request" };
        var headers = new ResponseHeaders { ["x-before"] = "1" };
        var globals = TestExits.Context(401, body, headers: headers);

        await transform.InvokeAsync(globals);

        Assert.Equal(401, globals.Status);
        Assert.Same(body, globals.Body);
        Assert.Equal("""{"message":"No API key found in request"}""", globals.Body!.ToJsonString());
        Assert.Equal([new KeyValuePair<string, string>("x-before", "1")], globals.Headers);
    }

    [Fact]
    public async Task CompileFile_OnlyReturn_LeavesTheResponseUnchanged()
    {
        var transform = _folder.CompileTransform("return.csx", "return;\n");
        var globals = TestExits.Context(502, text: "upstream down");

        await transform.InvokeAsync(globals);

        Assert.Equal(502, globals.Status);
        Assert.Null(globals.Body);
        Assert.Equal("upstream down", globals.Text);
        Assert.Equal(0, globals.Headers.Count);
    }

    [Fact]
    public async Task CompileFile_SameFileTwice_GetsSeparateCollectibleLoadContexts()
    {
        const string Source = "throw new InvalidOperationException(\"where am I\");\n";
        var path = _folder.Write("twice.csx", Source);
        var first = _folder.Compiler.CompileFile(path).Transform!;
        var second = _folder.Compiler.CompileFile(path).Transform!;

        var firstContext = await LoadContextOfAsync(first);
        var secondContext = await LoadContextOfAsync(second);

        Assert.NotSame(firstContext, secondContext);
        Assert.NotSame(AssemblyLoadContext.Default, firstContext);
        Assert.True(firstContext.IsCollectible);
        Assert.True(secondContext.IsCollectible);
        Assert.StartsWith("transform:twice.csx:", first.LoadContextName, StringComparison.Ordinal);
        Assert.Equal(firstContext.Name, first.LoadContextName);
    }

    // The script's code throws from inside its own assembly: the exception's method tells which context holds it.
    private static async Task<AssemblyLoadContext> LoadContextOfAsync(CompiledTransform transform)
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => transform.InvokeAsync(TestExits.Context()));
        var assembly = exception.TargetSite!.Module.Assembly;
        return AssemblyLoadContext.GetLoadContext(assembly)!;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
