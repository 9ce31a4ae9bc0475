using System.Diagnostics;
using Gateway.Compilation;
using Gateway.Scripting.Compilation;
using Gateway.Tests.Infrastructure;
using Gateway.Transforms;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Compilation;

/// <summary>
/// The compiler process, for real: <c>Gateway.TransformHost compile</c> started by <see cref="ProcessTransformCompiler"/>.
/// A compile is held mid-way without timing anything: the transform <c>#load</c>s a named pipe, which the compiler
/// opens and then reads until the test closes its end.
/// </summary>
public sealed class ProcessTransformCompilerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly TempFolder _folder = new("gateway-compiler-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task CompileAsync_ACompileError_ComesBackWithFileLineAndCode()
    {
        await using var compiler = Compiler();
        var path = _folder.Combine("broken.csx");

        var compilation = await compiler.CompileAsync(path, "// first line\nHeaders[\"x\"] = undefinedName;\n");

        Assert.False(compilation.Succeeded);
        var error = Assert.Single(compilation.Errors);
        Assert.Equal(path, error.File);
        Assert.Equal((2, "CS0103"), (error.Line, error.Code));
        Assert.Matches(@"broken\.csx\(2,\d+\): error CS0103: ", error.ToString());
    }

    [Fact]
    public async Task CompileAsync_AGoodTransform_ComesBackAsAnImageWithItsSourceHash()
    {
        await using var compiler = Compiler();
        const string source = "Headers[\"x-compiled\"] = \"elsewhere\";\n";

        var compilation = await compiler.CompileAsync(_folder.Combine("good.csx"), source);

        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Diagnostics));
        Assert.Equal("good.csx", compilation.Name);
        Assert.Equal(TransformIdentity.HashOf(source), compilation.Transform!.SourceHash);
        Assert.NotEmpty(compilation.Transform.Image.Assembly);
        Assert.NotEmpty(compilation.Transform.Image.Symbols);
        Assert.Equal(1, compiler.Starts);
    }

    [Theory]
    [InlineData("relative")]
    [InlineData("symlink")]
    public async Task CompileAsync_LoadReachingOutsideTheFolder_IsRefusedInTheCompilerProcess_WithoutQuotingTheFile(string how)
    {
        // A hostile author reaches, through the compiler process, for a file beside the transforms folder.
        var secret = "TopSecret_" + Guid.NewGuid().ToString("N");
        using var outside = new TempFolder("gateway-compiler-outside-");
        File.WriteAllText(outside.Combine("secret.csx"), $"Headers[\"leak\"] = \"{secret}\";\n");
        string target;
        if (how == "symlink")
        {
            File.CreateSymbolicLink(_folder.Combine("link.csx"), outside.Combine("secret.csx"));
            target = "link.csx";
        }
        else
        {
            target = Path.GetRelativePath(_folder.Path, outside.Combine("secret.csx"));
        }

        await using var compiler = Compiler();
        var path = _folder.Combine("main.csx");
        var compilation = await compiler.CompileAsync(path, $"#load \"{target}\"\nStatus = 500;\n");

        Assert.False(compilation.Succeeded);
        Assert.Contains(compilation.Errors, e => e.File == path && e.Line == 1);
        Assert.DoesNotContain(compilation.Diagnostics, d => d.ToString().Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompileAsync_CompilerKilledMidCompile_FailsNamingTheFile_AndTheNextCompileStartsAnother()
    {
        await using var compiler = Compiler();
        var path = _folder.Combine("held.csx");
        var held = await HoldAsync(compiler, path);

        Process.GetProcessById(held.CompilerId).Kill();
        var compilation = await held.Compile.WaitAsync(Patience);
        await held.Pipe.DisposeAsync();

        var error = Assert.Single(compilation.Errors);
        Assert.Equal((path, "GW0008"), (error.File, error.Code));
        Assert.Contains("the compiler process", error.Message, StringComparison.Ordinal);
        Assert.Contains("signal 9", error.Message, StringComparison.Ordinal);

        var next = await compiler.CompileAsync(_folder.Combine("after.csx"), "return;");
        Assert.True(next.Succeeded, string.Join("; ", next.Diagnostics));
        Assert.Equal(2, compiler.Starts);
    }

    [Fact]
    public async Task CompileAsync_PastItsDeadline_IsStoppedAndFailsNamingTheFile()
    {
        await using var compiler = Compiler(deadline: TimeSpan.FromSeconds(3));
        var path = _folder.Combine("hung.csx");
        var held = await HoldAsync(compiler, path);

        var compilation = await held.Compile.WaitAsync(Patience);
        await held.Pipe.DisposeAsync();

        var error = Assert.Single(compilation.Errors);
        Assert.Equal((path, "GW0008"), (error.File, error.Code));
        Assert.Contains("did not finish compiling this transform within 00:00:03", error.Message, StringComparison.Ordinal);
        await WaitUntilAsync(() => IsGone(held.CompilerId), "the hung compiler process was not stopped");
    }

    [Fact]
    public async Task IdleCompiler_Exits_AndTheNextCompileStartsAnother()
    {
        await using var compiler = Compiler(idleTimeout: TimeSpan.FromMilliseconds(500));

        Assert.True((await compiler.CompileAsync(_folder.Combine("one.csx"), "return;")).Succeeded);
        var first = compiler.ProcessId;
        Assert.NotNull(first);
        await WaitUntilAsync(() => compiler.ProcessId is null && IsGone(first.Value), "the idle compiler process did not exit");

        Assert.True((await compiler.CompileAsync(_folder.Combine("two.csx"), "return;")).Succeeded);
        Assert.Equal(2, compiler.Starts);
        Assert.NotEqual(first, compiler.ProcessId);
    }

    private ProcessTransformCompiler Compiler(TimeSpan? deadline = null, TimeSpan? idleTimeout = null)
    {
        var options = new TransformOptions();
        options.Compiler.Deadline = deadline ?? Patience;
        options.Compiler.IdleTimeout = idleTimeout ?? TimeSpan.FromMinutes(5);
        return new ProcessTransformCompiler(_folder.Path, new(), new FixedOptions(options), TimeProvider.System, NullLogger<ProcessTransformCompiler>.Instance);
    }

    /// <summary>
    /// Starts compiling a transform that #loads a named pipe, and returns once the compiler has opened the pipe: the
    /// compile then waits for the pipe's writer (the test) to close it.
    /// </summary>
    private async Task<Held> HoldAsync(ProcessTransformCompiler compiler, string path)
    {
        var pipe = _folder.Combine("hold.pipe");
        var made = await ChildProcess.RunAsync(new ProcessStartInfo("mkfifo", [pipe]));
        Assert.Equal(0, made.Exit);

        var compile = compiler.CompileAsync(path, "#load \"hold.pipe\"\nreturn;\n");

        // Opening the write end returns when the compiler opens the read end.
        var writer = await Task.Run(() => new FileStream(pipe, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)).WaitAsync(Patience);
        Assert.False(compile.IsCompleted);
        return new Held(compile, writer, compiler.ProcessId ?? throw new InvalidOperationException("no compiler process"));
    }

    private static bool IsGone(int processId)
    {
        try
        {
            return File.ReadAllText($"/proc/{processId}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, failure);
            await Task.Delay(50);
        }
    }

    private sealed record Held(Task<TransformCompilation> Compile, FileStream Pipe, int CompilerId);

    private sealed class FixedOptions(TransformOptions current) : IOptionsMonitor<TransformOptions>
    {
        public TransformOptions CurrentValue => current;

        public TransformOptions Get(string? name) => current;

        public IDisposable? OnChange(Action<TransformOptions, string?> listener) => null;
    }
}
