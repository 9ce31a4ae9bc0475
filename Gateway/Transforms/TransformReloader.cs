using Gateway.Hosting;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Gateway.Transforms;

/// <summary>
/// Hot reload. Watches the transforms folder (editors that save by write-then-rename included) and the
/// bindings in configuration; on a change, after a short quiet period, rebuilds the catalog off the request
/// path (unchanged files keep their compiled version) and swaps it in at once. Requests in flight finish on
/// the version they started with; replaced versions are unloaded. A version that does not compile is not
/// swapped in: the last good one keeps serving.
/// </summary>
internal sealed partial class TransformReloader(
    TransformCatalogBuilder builder,
    TransformCatalogProvider provider,
    IOptionsMonitor<TransformOptions> options,
    Gateway.Scripting.Compilation.TransformCompiler compiler,
    ILogger<TransformReloader> logger) : BackgroundService
{
    /// <summary>How long the folder must stay quiet before a rebuild: an editor's save is several events.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(150);

    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Reloads done since start-up; tests and logs use it.</summary>
    public int Reloads { get; private set; }

    private FileSystemWatcher? _watcher;
    private IDisposable? _bindings;

    /// <summary>
    /// Starts watching before the host reports started: since .NET 10 all of <see cref="ExecuteAsync"/> runs in
    /// the background, and a save made right after start-up must not be missed.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = compiler.TransformsFolder;
        if (!Directory.Exists(folder))
        {
            LogNoFolder(logger, folder);
            return Task.CompletedTask;
        }

        _watcher = new FileSystemWatcher(folder, "*.csx")
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.DirectoryName,
        };
        _watcher.Changed += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        _watcher.Created += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        _watcher.Deleted += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        _watcher.Renamed += (_, e) => _changes.Writer.TryWrite(e.FullPath);
        _watcher.Error += (_, e) => _changes.Writer.TryWrite("(watcher error: " + e.GetException().Message + ")");
        _watcher.EnableRaisingEvents = true;
        _bindings = options.OnChange(_ => _changes.Writer.TryWrite("(configuration)"));
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _watcher?.Dispose();
        _bindings?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _changes.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            // Let the burst of events of one save settle, then rebuild once for all of them.
            var cause = await reader.ReadAsync(stoppingToken);
            do
            {
                await Task.Delay(Debounce, stoppingToken);
            }
            while (reader.TryRead(out _));

            Reload(cause, stoppingToken);
        }
    }

    private void Reload(string cause, CancellationToken cancellationToken)
    {
        var previous = provider.Current;
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            var next = builder.Build(options.CurrentValue, previous, cancellationToken);
            provider.Swap(next);
            Reloads++;

            var elapsed = TimeProvider.System.GetElapsedTime(started).TotalMilliseconds;
            if (next.Refused.Count > 0)
            {
                // Not "reloaded": the change that was asked for did not take effect.
                LogRefused(logger, cause, string.Join(", ", next.Refused.Keys), next.Transforms.Count, elapsed);
            }
            else
            {
                LogReloaded(logger, cause, next.Transforms.Count, elapsed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReloadFailed(logger, e, cause, e.Message);
        }
    }

    [LoggerMessage(EventId = EventIds.TransformsReloaded, Level = LogLevel.Information, Message = "Transforms reloaded after a change to {Cause}: {TransformCount} in use, rebuilt in {ElapsedMilliseconds:0} ms")]
    private static partial void LogReloaded(ILogger logger, string cause, int transformCount, double elapsedMilliseconds);

    [LoggerMessage(EventId = EventIds.TransformsReloadPartlyRefused, Level = LogLevel.Warning, Message = "Reload after a change to {Cause} refused for {RefusedTransforms}: their last good versions keep serving ({TransformCount} transforms compiled, rebuilt in {ElapsedMilliseconds:0} ms)")]
    private static partial void LogRefused(ILogger logger, string cause, string refusedTransforms, int transformCount, double elapsedMilliseconds);

    [LoggerMessage(EventId = EventIds.TransformsReloadFailed, Level = LogLevel.Error, Message = "Reload after a change to {Cause} failed; the transforms in use keep serving: {ErrorMessage}")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string cause, string errorMessage);

    [LoggerMessage(EventId = EventIds.TransformsFolderMissing, Level = LogLevel.Warning, Message = "The transforms folder {TransformsFolder} does not exist: hot reload is off")]
    private static partial void LogNoFolder(ILogger logger, string transformsFolder);
}
