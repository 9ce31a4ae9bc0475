using System.Diagnostics;
using System.Globalization;

namespace Gateway.Isolation;

/// <summary>
/// What a child process of the gateway (a transform host, the compiler process) tells about its end: the first and
/// last lines it wrote to its standard error (the runtime's report of a crash starts with its cause, "Stack
/// overflow.", and ends with where it happened), and its exit code with the signal that ended it.
/// </summary>
internal sealed class ChildProcessReport
{
    private const int HeadLines = 3;
    private const int TailLines = 4;
    private const int LineLength = 200;

    private readonly Process _process;
    private readonly List<string> _head = [];
    private readonly Queue<string> _tail = new();

    /// <summary>Starts reading <paramref name="process"/>'s standard error, to its end.</summary>
    /// <param name="process">A process started with its standard error redirected.</param>
    public ChildProcessReport(Process process)
    {
        _process = process;
        _ = ReadAsync();
    }

    /// <summary>The first and last lines of standard error, joined with " | "; "(none)" when it wrote nothing.</summary>
    public string Output
    {
        get
        {
            lock (_tail)
            {
                return _head.Count == 0 ? "(none)" : string.Join(" | ", _head.Concat(_tail.Count > 0 ? ["…", .. _tail] : []));
            }
        }
    }

    /// <summary>"exit code 137 (signal 9); last output: …", or "exit code unknown" while it has not exited.</summary>
    public string Describe()
    {
        int? exitCode = _process.HasExited ? _process.ExitCode : null;
        var signal = exitCode is > 128 and < 160 ? $" (signal {exitCode - 128})" : string.Empty;
        return $"exit code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"}{signal}; last output: {Output}";
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync() is { } line)
            {
                line = line.Length > LineLength ? line[..LineLength] + "…" : line;
                lock (_tail)
                {
                    if (_head.Count < HeadLines)
                    {
                        _head.Add(line);
                        continue;
                    }

                    _tail.Enqueue(line);
                    while (_tail.Count > TailLines)
                    {
                        _tail.Dequeue();
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process is gone.
        }
    }
}
