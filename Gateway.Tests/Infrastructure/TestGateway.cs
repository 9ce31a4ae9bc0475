using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway, built the way Program.cs builds it, listening on 127.0.0.1 and a free port, with its
/// transforms copied into a folder of its own and every log event collected.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;
    private readonly HttpClient? _management;

    private TestGateway(WebApplication app, string folder, CollectingSink logs)
    {
        _app = app;
        _folder = folder;
        Logs = logs;
        Address = LoopbackServer.AddressOf(app);
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        var management = app.Services.GetRequiredService<Gateway.Management.ManagementServer>().Addresses;
        ManagementAddress = management.Count > 0 ? management[0] : null;
        if (ManagementAddress is not null)
        {
            _management = new HttpClient { BaseAddress = ManagementAddress, Timeout = TimeSpan.FromSeconds(30) };
        }
    }

    /// <summary>The management listener's address (port 0 resolved), or null when a test turned it off.</summary>
    public Uri? ManagementAddress { get; }

    /// <summary>A client of the management listener.</summary>
    public HttpClient Management => _management ?? throw new InvalidOperationException("The management listener is off.");

    public Uri Address { get; }

    public HttpClient Client { get; }

    public CollectingSink Logs { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The folder this gateway's transforms were copied to.</summary>
    public string TransformsFolder => Path.Combine(_folder, "Transforms");

    /// <summary>
    /// Builds the gateway with <paramref name="settings"/> as its whole configuration and the given transforms
    /// (paths relative to the repository root, e.g. <c>Transforms/arr.csx</c>) in its transforms folder.
    /// </summary>
    public static async Task<TestGateway> StartAsync(
        IReadOnlyDictionary<string, string?> settings,
        IEnumerable<string> transforms,
        string? contentRoot = null,
        Action<WebApplicationBuilder>? configure = null,
        IReadOnlyDictionary<string, string>? files = null)
    {
        var folder = Directory.CreateTempSubdirectory("gateway-test-").FullName;
        var transformsFolder = Directory.CreateDirectory(Path.Combine(folder, "Transforms")).FullName;
        foreach (var transform in transforms)
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, transform), Path.Combine(transformsFolder, Path.GetFileName(transform)));
        }

        foreach (var (name, source) in files ?? new Dictionary<string, string>())
        {
            File.WriteAllText(Path.Combine(transformsFolder, name), source);
        }

        var logs = new CollectingSink();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = contentRoot ?? folder,
            EnvironmentName = "Testing",
            ApplicationName = "Gateway",
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Transforms:Path"] = transformsFolder,

            // Generous, so that a busy test machine never cuts a well-behaved transform short; tests of the
            // budget itself set theirs.
            ["Gateway:Transforms:Budget:WallTime"] = "00:00:05",

            // Roslyn in the test process, warm after the first test, rather than a cold compiler process per gateway
            // (which tripled the suite's time). The compiler process has tests of its own (Compilation/), which set
            // Compiler:Isolation to Process, as do the child-process gateways (ChildProcess.StartGateway).
            ["Gateway:Transforms:Compiler:Isolation"] = "InProcess",

            // Every test compiles what it wrote, and leaves nothing in the user's cache folder; the cache has tests of
            // its own (Compilation/CompiledTransformCacheTests), which set Compiler:Cache.
            ["Gateway:Transforms:Compiler:Cache:Enabled"] = "false",

            // The management listener too, on its own free port.
            ["Gateway:Management:Urls"] = "http://127.0.0.1:0",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<ILogEventSink>(logs);
        configure?.Invoke(builder);
        builder.AddGateway();

        var app = builder.Build();
        app.UseGateway();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(folder, recursive: true);
            throw;
        }

        return new TestGateway(app, folder, logs);
    }

    public T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _management?.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine: the OS cleans temp folders.
        }
    }
}
