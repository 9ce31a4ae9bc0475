using System.Net;
using Gateway.Compilation;
using Gateway.Scripting.Sandbox;
using Gateway.Tests.Infrastructure;
using Gateway.Transforms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Compilation;

/// <summary>
/// The compiled-transform cache, with real files and the real compiler process: a hit starts no compiler, anything
/// that decides the output is part of the key, and an entry that is corrupt, tampered with or in a folder others may
/// write is a miss, logged, and recompiled, never a failure.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // the folder's mode is the cache's guard; the gateway runs on Linux
public sealed class CompiledTransformCacheTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly TempFolder _transforms = new("gateway-cache-transforms-");
    private readonly TempFolder _cache = new("gateway-cache-");
    private readonly CapturingLoggerProvider _logs = new();

    public void Dispose()
    {
        _transforms.Dispose();
        _cache.Dispose();
    }

    [Fact]
    public async Task CompileAsync_UnchangedTransform_IsAnsweredFromTheCache_WithoutStartingACompilerProcess()
    {
        var path = _transforms.Combine("good.csx");
        const string source = "Headers[\"x-cached\"] = \"yes\";\nreturn;\nStatus = 500;\n"; // a warning (CS0162) the hit keeps

        var (first, firstCompiler) = await CompileAsync(path, source);
        var (second, secondCompiler) = await CompileAsync(path, source);

        Assert.True(first.Succeeded, string.Join("; ", first.Diagnostics));
        Assert.Equal(1, firstCompiler.Starts);
        Assert.Equal(0, secondCompiler.Starts);
        Assert.True(second.Succeeded);
        Assert.Equal(first.Transform!.Image.Assembly, second.Transform!.Image.Assembly);
        Assert.Equal(first.Transform.Image.Symbols, second.Transform.Image.Symbols);
        Assert.Equal((first.Name, first.FilePath, first.Transform.SourceHash), (second.Name, second.FilePath, second.Transform.SourceHash));
        Assert.Equal(first.Diagnostics.Select(d => d.ToString()), second.Diagnostics.Select(d => d.ToString()));
        Assert.Contains(second.Diagnostics, d => d.Code == "CS0162");
        Assert.DoesNotContain(_logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Cache_FolderIsCreatedForTheGatewaysUserOnly_AndEntriesToo()
    {
        var folder = Path.Combine(_cache.Path, "nested", "cache");

        await CompileAsync(_transforms.Combine("good.csx"), "Status = 500;\n", folder);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        var entry = Assert.Single(Directory.GetFiles(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(entry));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("garbage")]
    [InlineData("other-key")]
    public async Task CompileAsync_ACorruptOrTamperedEntry_IsAMiss_LoggedAndRecompiled(string damage)
    {
        var path = _transforms.Combine("good.csx");
        const string source = "Headers[\"x-version\"] = \"real\";\n";
        await CompileAsync(path, source);
        var entry = Assert.Single(Directory.GetFiles(_cache.Path));
        var bytes = await File.ReadAllBytesAsync(entry);
        switch (damage)
        {
            case "flip":
                // What a tamperer would do: change the emitted code, not the hash beside it.
                bytes[^100] ^= 0x20;
                break;
            case "truncate":
                bytes = bytes[..(bytes.Length / 2)];
                break;
            case "garbage":
                bytes = "not an entry"u8.ToArray();
                break;
            case "other-key":
                // A well-formed entry for another transform, renamed to this one's key.
                await CompileAsync(_transforms.Combine("other.csx"), "Status = 500;\n");
                bytes = await File.ReadAllBytesAsync(Directory.GetFiles(_cache.Path).Single(f => f != entry));
                break;
        }

        await File.WriteAllBytesAsync(entry, bytes);

        var (compilation, compiler) = await CompileAsync(path, source);

        Assert.True(compilation.Succeeded, string.Join("; ", compilation.Diagnostics));
        Assert.Equal(1, compiler.Starts);
        Assert.Equal(path, compilation.FilePath);
        var refused = Assert.Single(_logs.Entries, e => e.EventId.Id == Gateway.Hosting.EventIds.CompilerCacheEntryRefused);
        Assert.Equal(path, refused.State["TransformFile"]);

        // Rewritten whole: the next start is a hit again.
        var (again, againCompiler) = await CompileAsync(path, source);
        Assert.Equal(0, againCompiler.Starts);
        Assert.Equal(compilation.Transform!.Image.Assembly, again.Transform!.Image.Assembly);
    }

    [Fact]
    public async Task CompileAsync_AChangedSourceOrLoadedFile_IsAMiss()
    {
        var path = _transforms.Combine("main.csx");
        await File.WriteAllTextAsync(_transforms.Combine("shared.csx"), "string Label() => \"one\";\n");
        const string source = "#load \"shared.csx\"\nHeaders[\"x-label\"] = Label();\n";
        await CompileAsync(path, source);

        var (unchanged, unchangedCompiler) = await CompileAsync(path, source);
        Assert.Equal(0, unchangedCompiler.Starts);

        await File.WriteAllTextAsync(_transforms.Combine("shared.csx"), "string Label() => \"two\";\n");
        var (loadedChanged, loadedChangedCompiler) = await CompileAsync(path, source);
        Assert.Equal(1, loadedChangedCompiler.Starts);
        Assert.NotEqual(unchanged.Transform!.Image.Assembly, loadedChanged.Transform!.Image.Assembly);

        var (_, sourceChanged) = await CompileAsync(path, source + "Status = 500;\n");
        Assert.Equal(1, sourceChanged.Starts);
    }

    [Fact]
    public void KeyOf_DependsOnThePathTheFolderAndTheSandbox()
    {
        var path = _transforms.Combine("a.csx");
        var key = Cache(_cache.Path, new SandboxOptions()).KeyOf(path, "Status = 500;");

        Assert.Equal(key, Cache(_cache.Path, new SandboxOptions()).KeyOf(path, "Status = 500;"));
        Assert.NotEqual(key, Cache(_cache.Path, new SandboxOptions()).KeyOf(_transforms.Combine("b.csx"), "Status = 500;"));
        Assert.NotEqual(key, Cache(_cache.Path, new SandboxOptions { AllowedTypes = { "System.Guid" } }).KeyOf(path, "Status = 500;"));
        Assert.NotEqual(key, Cache(_cache.Path, new SandboxOptions { AllowedNamespaces = { "System.Numerics" } }).KeyOf(path, "Status = 500;"));
        using var otherFolder = new TempFolder("gateway-cache-transforms-");
        Assert.NotEqual(key, new CompiledTransformCache(_cache.Path, otherFolder.Path, new SandboxOptions(), NullLogger.Instance).KeyOf(path, "Status = 500;"));
    }

    [Fact]
    public async Task KeyOf_ATransformThatMayLoad_BesideANamedPipe_IsNotCached_AndDoesNotWaitForThePipe()
    {
        var made = await ChildProcess.RunAsync(new System.Diagnostics.ProcessStartInfo("mkfifo", [_transforms.Combine("hold.pipe")]));
        Assert.Equal(0, made.Exit);
        var cache = Cache(_cache.Path, new SandboxOptions());

        Assert.Null(cache.KeyOf(_transforms.Combine("a.csx"), "#  load \"other.csx\"\nreturn;\n"));
        Assert.NotNull(cache.KeyOf(_transforms.Combine("a.csx"), "return;\n"));
    }

    [Fact]
    public async Task CompileAsync_AFolderOthersMayWrite_IsNotUsed_EveryTransformCompiles()
    {
        File.SetUnixFileMode(_cache.Path, (UnixFileMode)Convert.ToInt32("777", 8));
        var path = _transforms.Combine("good.csx");

        var (first, _) = await CompileAsync(path, "Status = 500;\n");
        var (second, compiler) = await CompileAsync(path, "Status = 500;\n");

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal(1, compiler.Starts);
        Assert.Empty(Directory.GetFiles(_cache.Path));
        Assert.Contains(_logs.Entries, e => e.EventId.Id == Gateway.Hosting.EventIds.CompilerCacheFolderRefused);
    }

    [Fact]
    public async Task CompileAsync_AFailedCompile_IsNotKept()
    {
        var (failed, _) = await CompileAsync(_transforms.Combine("broken.csx"), "Headers[\"x\"] = undefinedName;\n");

        Assert.False(failed.Succeeded);
        Assert.Empty(Directory.GetFiles(_cache.Path));
    }

    [Theory]
    [InlineData("Path", "bad\0path", "Gateway:Transforms:Compiler:Cache:Path is 'bad")]
    [InlineData("Path", "   ", "Gateway:Transforms:Compiler:Cache:Path is '   ', which is not a folder path")]
    public void Validate_ACachePathThatIsNotAFolder_IsRefused_NamingTheKey(string key, string value, string expected)
    {
        var options = new TransformOptions();
        Assert.Equal("Path", key);
        options.Compiler.Cache.Path = value;

        var result = new TransformOptionsValidator(new ConfigurationBuilder().Build()).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void FullPath_DisabledOrPlaced()
    {
        var options = new CompilerCacheOptions { Enabled = false };
        Assert.Null(options.FullPath("/srv/gateway"));

        options = new CompilerCacheOptions { Path = "cache" };
        Assert.Equal("/srv/gateway/cache", options.FullPath("/srv/gateway"));

        options = new CompilerCacheOptions();
        Assert.EndsWith(Path.Combine("gateway", "compiled-transforms"), options.FullPath("/srv/gateway"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The gateway, compiling in its compiler process, restarted on the same transforms: the second start serves the
    /// same transform without starting a compiler process at all (its hosts' warm-up transform is a hit too).
    /// </summary>
    [Fact]
    public async Task Gateway_RestartedOnAWarmCache_StartsNoCompilerProcess_AndServes()
    {
        await using var upstream = await TestUpstream.StartAsync();
        await File.WriteAllTextAsync(_transforms.Combine("mark.csx"), "Headers[\"x-mark\"] = \"cached\";\n");
        var settings = GatewaySettings.For(upstream.Address).WithGlobal("mark.csx");
        settings["Gateway:Transforms:Path"] = _transforms.Path;
        settings["Gateway:Transforms:Compiler:Isolation"] = "Process"; // TestGateway's default is InProcess
        settings["Gateway:Transforms:Compiler:Cache:Enabled"] = "true";
        settings["Gateway:Transforms:Compiler:Cache:Path"] = _cache.Path;

        foreach (var expectedStarts in new[] { 1, 0 })
        {
            await using var gateway = await TestGateway.StartAsync(settings, []);
            using var response = await gateway.Client.GetAsync("/nowhere");

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("cached", response.Headers.GetValues("x-mark").Single());
            Assert.Equal(expectedStarts, gateway.Service<ProcessTransformCompiler>().Starts);
        }
    }

    private async Task<(Gateway.Scripting.Compilation.TransformCompilation Compilation, ProcessTransformCompiler Compiler)> CompileAsync(string path, string source, string? cacheFolder = null)
    {
        var options = new TransformOptions();
        options.Compiler.Deadline = Patience;
        await using var compiler = new ProcessTransformCompiler(_transforms.Path, new(), new FixedOptions(options), TimeProvider.System, NullLogger<ProcessTransformCompiler>.Instance);
        var cached = new CachingTransformCompiler(compiler, Cache(cacheFolder ?? _cache.Path, new SandboxOptions()));
        return (await cached.CompileAsync(path, source), compiler);
    }

    private CompiledTransformCache Cache(string folder, SandboxOptions sandbox) =>
        new(folder, _transforms.Path, sandbox, _logs.CreateLogger("cache"));

    private sealed class FixedOptions(TransformOptions current) : IOptionsMonitor<TransformOptions>
    {
        public TransformOptions CurrentValue => current;

        public TransformOptions Get(string? name) => current;

        public IDisposable? OnChange(Action<TransformOptions, string?> listener) => null;
    }
}
