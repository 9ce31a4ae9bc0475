namespace Gateway.Transforms;

/// <summary>
/// <c>Gateway:Transforms:Reload</c>: how the transforms folder is watched (README: "The author's loop").
/// </summary>
internal sealed class TransformReloadOptions
{
    /// <summary>The default of <see cref="Debounce"/> (README: "Save to live").</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(50);

    /// <summary>The longest <see cref="Debounce"/> accepted.</summary>
    public static readonly TimeSpan MaxDebounce = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether the folder is polled instead of watched with inotify (a container volume, a network share, where
    /// inotify events never arrive). Unset, <c>DOTNET_USE_POLLING_FILE_WATCHER</c> decides, as it does for
    /// <see cref="Microsoft.Extensions.FileProviders.PhysicalFileProvider"/>. Polling looks every 4 seconds
    /// (PhysicalFileProvider's interval). Read at start-up.
    /// </summary>
    public bool? UsePolling { get; set; }

    /// <summary>How long the folder must stay quiet after a change before the transforms are rebuilt: an editor's save is several events.</summary>
    public TimeSpan Debounce { get; set; } = DefaultDebounce;
}
