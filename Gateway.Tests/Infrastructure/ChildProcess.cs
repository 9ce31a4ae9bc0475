using System.Diagnostics;

namespace Gateway.Tests.Infrastructure;

/// <summary>What a child process printed, and how it ended.</summary>
internal sealed record ChildProcessResult(int Exit, string Output, string Errors);

/// <summary>Runs a real child process to its end, reading both its outputs, and kills its tree if it overstays.</summary>
internal static class ChildProcess
{
    /// <summary>Generous: the machines that run the tests are shared and often loaded.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

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
}
