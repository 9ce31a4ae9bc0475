using System.Diagnostics;

namespace Gateway.Tests.Infrastructure;

/// <summary>Debian's <c>chromium</c>, run headless for one page: the DOM after its scripts ran, or a screenshot.</summary>
internal static class HeadlessChromium
{
    /// <summary>The chromium executable, or null when it is not installed.</summary>
    public static string? Path { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    /// <summary>Whether CI runs this (<c>CI=true</c>): there chromium is installed by <c>.ci/run</c> and its tests are required.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads <paramref name="url"/>, lets its scripts run for a few seconds of virtual time, and returns the DOM.</summary>
    public static Task<string> DumpDomAsync(Uri url) => RunAsync(["--dump-dom", url.ToString()]);

    /// <summary>Loads <paramref name="url"/> and saves a PNG of the window to <paramref name="file"/>.</summary>
    public static Task<string> ScreenshotAsync(Uri url, string file) =>
        RunAsync([$"--screenshot={file}", "--window-size=1400,1000", "--hide-scrollbars", url.ToString()]);

    private static async Task<string> RunAsync(IEnumerable<string> arguments)
    {
        using var profile = new TempFolder("gateway-chromium-");
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("chromium is not installed"));

        // Root in CI and containers: no sandbox. Virtual time runs the page's timers and fetches without waiting on
        // the wall clock, so the page is rendered when chromium returns, whatever the machine's load.
        foreach (var argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            $"--user-data-dir={profile.Path}", "--virtual-time-budget=5000",
        }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        return (await ChildProcess.RunAsync(start)).Output;
    }
}
