namespace Gateway.Isolation;

/// <summary>A transform host ended while it held a call: a stack overflow, its memory cap, a kill.</summary>
internal sealed class TransformHostCrashedException(int host, int? exitCode, string message)
    : Exception($"Transform host {host} ended while running the chain: {message}")
{
    public int Host { get; } = host;

    public int? ExitCode { get; } = exitCode;
}
