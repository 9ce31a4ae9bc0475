using Gateway.Hosting;
using System.Threading.Channels;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Gateway.Transforms;

/// <summary>
/// Hot reload. Watches the transforms folder through a <see cref="PhysicalFileProvider"/>'s change tokens (inotify,
/// or polling where inotify does not fire: <see cref="TransformReloadOptions.UsePolling"/>) and the bindings in
/// configuration; on a change, after a short quiet period, rebuilds the catalog off the request path (unchanged
/// files keep their compiled version) and swaps it in at once. Requests in flight finish on the version they started
/// with; replaced versions are unloaded. A version that does not compile is not swapped in: the last good one keeps
/// serving.
/// </summary>
internal sealed partial class TransformReloader(
    TransformCatalogBuilder builder,
    TransformCatalogProvider provider,
    IOptionsMonitor<TransformOptions> options,
    Gateway.Scripting.Compilation.ITransformCompiler compiler,
    ILogger<TransformReloader> logger) : BackgroundService
{
    /// <summary>What the folder's change token watches: every transform, subfolders included (as the catalog compiles them).</summary>
    private const string Pattern = "**/*.csx";

    private readonly Channel<string> _changes = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Reloads done since start-up; tests and logs use it.</summary>
    public int Reloads { get; private set; }

    /// <summary>Whether the folder is polled rather than watched with inotify (null until watching starts).</summary>
    public bool? Polling { get; private set; }

    private PhysicalFileProvider? _files;
    private IDisposable? _folder;
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

        // ExclusionFilters.None: the catalog compiles every .csx, dot-files included, so a change to any of them counts.
        _files = new PhysicalFileProvider(folder, ExclusionFilters.None);
        if (options.CurrentValue.Reload.UsePolling is { } polling)
        {
            _files.UsePollingFileWatcher = polling;
        }

        // Without active polling a polling token only answers when asked; with it, the provider's timer raises it.
        _files.UseActivePolling = _files.UsePollingFileWatcher;
        Polling = _files.UsePollingFileWatcher;
        _folder = ChangeToken.OnChange(() => _files.Watch(Pattern), () => _changes.Writer.TryWrite(folder));
        _bindings = options.OnChange(_ => _changes.Writer.TryWrite("(configuration)"));
        LogWatching(logger, folder, Polling.Value ? "polling every 4 s" : "file-system events");
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _folder?.Dispose();
        _bindings?.Dispose();
        _files?.Dispose();
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
                await Task.Delay(options.CurrentValue.Reload.Debounce, stoppingToken);
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

    [LoggerMessage(EventId = EventIds.TransformsWatching, Level = LogLevel.Information, Message = "Watching {TransformsFolder} for changes to transforms ({WatchMode})")]
    private static partial void LogWatching(ILogger logger, string transformsFolder, string watchMode);

    [LoggerMessage(EventId = EventIds.TransformsFolderMissing, Level = LogLevel.Warning, Message = "The transforms folder {TransformsFolder} does not exist: hot reload is off")]
    private static partial void LogNoFolder(ILogger logger, string transformsFolder);
}
