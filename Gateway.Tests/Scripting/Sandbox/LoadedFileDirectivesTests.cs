using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scripting.Sandbox;

/// <summary>
/// Directives in files pulled in with <c>#load</c> (and those they pull in) are checked like the script's own, before
/// the compiler resolves them.
/// </summary>
public sealed class LoadedFileDirectivesTests : IDisposable
{
    private readonly TempTransformsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("#r \"System.IO.dll\"\nvar z = 1;", "GW0112")]
    [InlineData("#line 99 \"elsewhere.csx\"\nvar z = 1;", "GW0119")]
    [InlineData("#line hidden\nvar z = 1;", "GW0119")]
    [InlineData("#load \"../outside.csx\"\nvar z = 1;", "GW0113")]
    public void Compile_DirectiveInALoadedFile_IsRefusedThere(string loaded, string code)
    {
        _folder.Write("helper.csx", loaded);

        var compilation = _folder.Compile("uses-helper.csx", "#load \"helper.csx\"\nvar y = 1;");

        Assert.False(compilation.Succeeded);
        var refusal = Assert.Single(compilation.Errors, e => e.Code == code);
        Assert.EndsWith("helper.csx", refusal.File, StringComparison.Ordinal);
        Assert.Equal(1, refusal.Line);
    }

    [Fact]
    public void Compile_DirectiveTwoLoadsDeep_IsRefused()
    {
        _folder.Write("deep.csx", "#r \"System.Net.Http.dll\"\nvar d = 1;");
        _folder.Write("middle.csx", "#load \"deep.csx\"\nvar m = 1;");

        var compilation = _folder.Compile("top.csx", "#load \"middle.csx\"\nvar t = 1;");

        Assert.Contains(compilation.Errors, e => e.Code == "GW0112" && e.File.EndsWith("deep.csx", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_LoadedFileFoundThroughTheFolder_IsCheckedToo()
    {
        // sub/a.csx loads "b.csx": not beside it, so the compiler finds it at the folder's root.
        _folder.Write("b.csx", "#r \"System.IO.dll\"\nvar b = 1;");
        _folder.Write(Path.Combine("sub", "a.csx"), "#load \"b.csx\"\nvar a = 1;");

        var compilation = _folder.Compile("top.csx", "#load \"sub/a.csx\"\nvar t = 1;");

        Assert.Contains(compilation.Errors, e => e.Code == "GW0112" && e.File.EndsWith("b.csx", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_OutsideFileLoadedFromALoadedFile_IsNotRead()
    {
        _folder.WriteOutside("secret.csx", "var secret = \"TOP-SECRET-CONTENT\" +;");
        _folder.Write("helper.csx", "#load \"../secret.csx\"\nvar h = 1;");

        var compilation = _folder.Compile("top.csx", "#load \"helper.csx\"\nvar t = 1;");

        Assert.Contains(compilation.Errors, e => e.Code == "GW0113" && e.File.EndsWith("helper.csx", StringComparison.Ordinal));
        Assert.DoesNotContain(compilation.Diagnostics, d => d.Message.Contains("TOP-SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_LoadCycle_EndsAndIsChecked()
    {
        _folder.Write("a.csx", "#load \"b.csx\"\nvar a = 1;");
        _folder.Write("b.csx", "#load \"a.csx\"\n#line 1 \"x.csx\"\nvar b = 1;");

        var compilation = _folder.Compile("top.csx", "#load \"a.csx\"\nvar t = 1;");

        Assert.Contains(compilation.Errors, e => e.Code == "GW0119" && e.File.EndsWith("b.csx", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_CleanLoadedFiles_StillCompile()
    {
        _folder.Write("helper.csx", "string Shout(string s) => s.ToUpperInvariant();");

        var compilation = _folder.Compile("top.csx", "#load \"helper.csx\"\nBody = new JsonObject { [\"s\"] = Shout(\"m\") };");

        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
    }
}
