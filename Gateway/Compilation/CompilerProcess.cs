using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Isolation;
using Gateway.Scripting.Isolation;
using Gateway.Scripting.Sandbox;

namespace Gateway.Compilation;

/// <summary>
/// One compiler process (<c>Gateway.TransformHost compile</c>), as the gateway sees it: started with an empty
/// environment, spoken to over its standard input and output (<see cref="HostChannel"/>), its standard error kept for
/// the report of a crash. It answers compiles by id; when it ends, every compile it held fails with a
/// <see cref="CompilerProcessException"/>.
/// </summary>
internal sealed class CompilerProcess : IAsyncDisposable
{

    private readonly Process _process;
    private readonly HostChannel _channel;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<CompiledFrame>> _pending = new();
    private readonly ChildProcessReport _report;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;
    private string? _endedBecause;

    private CompilerProcess(Process process)
    {
        _process = process;
        ProcessId = process.Id;
        _channel = new HostChannel(process.StandardOutput.BaseStream, process.StandardInput.BaseStream, ChannelWrites.NonBlocking);
        _ = ReadLoopAsync();
        _report = new ChildProcessReport(process);
    }

    /// <summary>The process id.</summary>
    public int ProcessId { get; }

    /// <summary>Compiles sent and not yet answered.</summary>
    public int Pending => _pending.Count;

    /// <summary>Whether the process has ended (its output closed).</summary>
    public bool HasEnded => _exited.Task.IsCompleted;

    /// <summary>Completes when the process's output has ended: it exited, crashed or was killed.</summary>
    public Task Exited => _exited.Task;

    /// <summary>Starts a compiler process for the transforms in <paramref name="folder"/>.</summary>
    /// <param name="folder">The transforms folder (<c>#load</c> reaches only files inside it).</param>
    /// <param name="sandbox">How the deployment widens the allow-list.</param>
    public static CompilerProcess Start(string folder, SandboxOptions sandbox)
    {
        var start = new ProcessStartInfo(Gateway.Isolation.TransformHostProcess.Muxer())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Gateway.TransformHost.dll"));
        start.ArgumentList.Add("compile");
        start.ArgumentList.Add(folder);
        foreach (var name in sandbox.AllowedNamespaces)
        {
            start.ArgumentList.Add("--allow-namespace");
            start.ArgumentList.Add(name);
        }

        foreach (var name in sandbox.AllowedTypes)
        {
            start.ArgumentList.Add("--allow-type");
            start.ArgumentList.Add(name);
        }

        // Nothing of the gateway's environment (webhook URLs, API keys, connection strings) reaches the compiler.
        start.Environment.Clear();
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // One compile at a time needs little heap: workstation GC keeps the short-lived process small.
        start.Environment["DOTNET_gcServer"] = "0";
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            start.Environment["DOTNET_ROOT"] = root;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The compiler process did not start.");
        return new CompilerProcess(process);
    }

    /// <summary>Sends one compile; the task completes with the compiler's answer or fails when the process ends.</summary>
    /// <param name="path">The transform's full path.</param>
    /// <param name="source">Its text.</param>
    public Task<CompiledFrame> CompileAsync(string path, string source)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<CompiledFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        if (!_channel.Send(HostFrameKind.Compile, new CompileFrame(id, path, source)) || HasEnded)
        {
            _pending.TryRemove(id, out _);
            reply.TrySetException(Ended());
        }

        return reply.Task;
    }

    /// <summary>Ends the process at once; compiles in flight fail, with <paramref name="reason"/> as their cause.</summary>
    /// <param name="reason">Why, for the error each compile in flight gets.</param>
    public void Kill(string reason)
    {
        _endedBecause ??= reason;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }

    /// <summary>Closes the process's input (it finishes what it holds and exits), waits up to 5 s, then kills it.</summary>
    public async Task StopAsync()
    {
        _endedBecause ??= "it was stopped";
        try
        {
            await _channel.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Gone already.
        }

        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            Kill("it did not stop when asked");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Kill("the gateway stopped");
        await _exited.Task.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _process.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _channel.ReadAsync() is { } frame)
            {
                if (frame.Frame is CompiledFrame compiled && _pending.TryRemove(compiled.Id, out var reply))
                {
                    reply.TrySetResult(compiled);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ObjectDisposedException or System.Text.Json.JsonException)
        {
            // The process died mid-frame, or wrote something that is not a frame: either way it is done.
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
            Kill("it stopped answering");
        }

        var ended = Ended();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var reply))
            {
                reply.TrySetException(ended);
            }
        }

        _exited.TrySetResult();
    }

    private CompilerProcessException Ended()
    {
        var because = _endedBecause is null ? string.Empty : $"{_endedBecause}; ";
        return new CompilerProcessException($"the compiler process {ProcessId} ended ({because}{_report.Describe()})");
    }
}
