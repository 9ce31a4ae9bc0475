namespace Gateway.Management;

/// <summary>The <c>Gateway:Management</c> section: where the management listener (health, metrics, status, dashboard) listens.</summary>
internal sealed class ManagementOptions
{
    public const string Section = "Gateway:Management";

    /// <summary>The default of <see cref="Urls"/>: loopback only, so that nothing outside the host reaches it unless asked to.</summary>
    public const string DefaultUrls = "http://localhost:8100";

    /// <summary>
    /// Where the management listener listens, <c>;</c>-separated like ASP.NET Core's <c>Urls</c>. Empty turns it off.
    /// It must not share a port with the proxy: it is a server of its own.
    /// </summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Whether the listener is on: <see cref="Urls"/> is not empty.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Urls);

    /// <summary>The listener's addresses, one per <c>;</c>-separated entry.</summary>
    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
