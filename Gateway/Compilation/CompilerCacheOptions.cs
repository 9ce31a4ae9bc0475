namespace Gateway.Compilation;

/// <summary>
/// The cache of compiled transforms across restarts: <c>Gateway:Transforms:Compiler:Cache</c>. A transform whose
/// source, <c>#load</c>ed files, compiler, sandbox rules and reference set are unchanged since a compile that passed
/// the sandbox is loaded from it, and no compiler is started for it. Read at start-up only.
/// </summary>
internal sealed class CompilerCacheOptions
{
    /// <summary>Whether compiled transforms are kept and reused across restarts. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The cache's folder, relative to the content root; empty (the default) for the user's cache folder:
    /// <c>$XDG_CACHE_HOME/gateway/compiled-transforms</c>, or <c>~/.cache/gateway/compiled-transforms</c>. The gateway
    /// creates it readable and writable by its own user only (0700), and does not use a folder that others may write.
    /// </summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>The problems with these settings, each naming its key; empty when they are valid.</summary>
    /// <param name="section">The configuration section they were read from.</param>
    public IEnumerable<string> Validate(string section)
    {
        if (Enabled && Path.Length > 0 && (string.IsNullOrWhiteSpace(Path) || Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0))
        {
            yield return $"{section}:{nameof(Path)} is '{Path}', which is not a folder path; set a folder, leave it empty for the user's cache folder, or set {section}:{nameof(Enabled)} to false.";
        }
    }

    /// <summary>The cache's full path, or null when it is disabled or no folder can be named.</summary>
    /// <param name="contentRoot">What a relative <see cref="Path"/> is taken from.</param>
    public string? FullPath(string contentRoot)
    {
        if (!Enabled)
        {
            return null;
        }

        if (Path.Length > 0)
        {
            return System.IO.Path.GetFullPath(Path, contentRoot);
        }

        var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cacheHome) || !System.IO.Path.IsPathFullyQualified(cacheHome))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            cacheHome = System.IO.Path.Combine(home, ".cache");
        }

        return System.IO.Path.Combine(cacheHome, "gateway", "compiled-transforms");
    }
}
