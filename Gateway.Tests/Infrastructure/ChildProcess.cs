using System.Diagnostics;

namespace Gateway.Tests.Infrastructure;

/// <summary>What a child process printed, and how it ended.</summary>
internal sealed record ChildProcessResult(int Exit, string Output, string Errors);

/// <summary>Runs a real child process to its end, reading both its outputs, and kills its tree if it overstays.</summary>
internal static class ChildProcess
{
    /// <summary>Generous: the machines that run the tests are shared and often loaded.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Sends <paramref name="signal"/> (TERM, STOP, CONT...) to a process with <c>kill</c>, and checks it was sent.</summary>
    public static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("kill did not start");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} failed ({kill.ExitCode})");
        }
    }

    /// <summary>Starts <paramref name="start"/> (its outputs redirected), waits for it, and returns what it printed.</summary>
    /// <exception cref="TimeoutException">It did not end within <paramref name="timeout"/>; it was killed.</exception>
    public static async Task<ChildProcessResult> RunAsync(ProcessStartInfo start, TimeSpan? timeout = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var limit = timeout ?? DefaultTimeout;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{System.IO.Path.GetFileName(start.FileName)} did not finish within {limit.TotalSeconds:0} s: {await errors}");
        }

        return new ChildProcessResult(process.ExitCode, await output, await errors);
    }

    /// <summary>
    /// Starts the gateway built beside the tests (<c>dotnet Gateway.dll</c>) as a child process in
    /// <paramref name="folder"/>, its outputs redirected (the caller reads them), with <paramref name="settings"/> as
    /// environment variables (<c>A:B</c> becomes <c>A__B</c>), no inherited ASP.NET Core environment or URLs, and the
    /// compiled-transform cache off unless <paramref name="settings"/> turn it on.
    /// </summary>
    public static Process StartGateway(string folder, IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, "Gateway.dll"));
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_URLS");
        // Every test compiles what it wrote, and leaves nothing in the user's cache folder (unless it sets the cache).
        start.Environment["Gateway__Transforms__Compiler__Cache__Enabled"] = "false";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? string.Empty;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }
}
