using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scripting.Compilation;

/// <summary>Scripts are compiled with nullable annotations on; nullable warnings stay warnings.</summary>
public sealed class NullableScriptTests : IDisposable
{
    private readonly TempTransformsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Compile_NullableAnnotation_GetsNoWarning()
    {
        var compilation = _folder.Compile("annotated.csx", "string? header = null;\nBody = new JsonObject { [\"h\"] = header ?? \"none\" };");

        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
        Assert.DoesNotContain(compilation.Diagnostics, d => d.Code == "CS8632");
    }

    [Fact]
    public void Compile_NullableWarning_IsAWarningAndTheScriptLoads()
    {
        var compilation = _folder.Compile("careless.csx", "string s = Text;\nBody = new JsonObject { [\"n\"] = s.Length };");

        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
        Assert.Empty(compilation.Errors);
        var warning = Assert.Single(compilation.Diagnostics, d => d.Code == "CS8601");
        Assert.False(warning.IsError);
        Assert.StartsWith($"{compilation.FilePath}(1,12): warning CS8601: ", warning.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SampleTransforms.Names), MemberType = typeof(SampleTransforms))]
    public void Compile_SampleTransform_HasNoWarnings(string name)
    {
        var compiler = new Gateway.Scripting.Compilation.TransformCompiler(SampleTransforms.Folder);

        var compilation = compiler.CompileFile(Path.Combine(SampleTransforms.Folder, name));

        Assert.Empty(compilation.Diagnostics);
    }
}
