using Gateway.Scripting.Compilation;
using Gateway.Scripting.Sandbox;
using Gateway.Transforms;
using Microsoft.Extensions.Options;

namespace Gateway.Compilation;

/// <summary>
/// Compiles transforms in a compiler process (<see cref="CompilerProcess"/>), so that the gateway never loads Roslyn:
/// its reference set alone holds ~80 MB, and its first compile leaves tens of MB of JIT-compiled code behind. The
/// process is started on the first compile, serves every compile while it lives (several at once), and is stopped
/// once it has been idle for <see cref="CompilerOptions.IdleTimeout"/>; the next compile starts another. A compile
/// the process does not answer (it crashed, was killed, or overran <see cref="CompilerOptions.Deadline"/>) comes back
/// as a failed compilation whose error (<c>GW0008</c>) names the file: at start-up it stops the gateway like any
/// compile error, on a reload the last good version keeps serving.
/// </summary>
internal sealed partial class ProcessTransformCompiler : ITransformCompiler, IAsyncDisposable
{
    private readonly Lazy<(string Folder, SandboxOptions Sandbox)> _setup;
    private readonly IOptionsMonitor<TransformOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ProcessTransformCompiler> _logger;
    private readonly object _gate = new();
    private CompilerProcess? _process;
    private ITimer? _idle;
    private bool _disposed;

    /// <summary>
    /// The gateway's compiler: its folder (<c>Path</c>, against the content root) and <c>Sandbox</c> are read when first
    /// needed, not here: YARP builds the transform-host pool, which holds this, while it loads its own configuration,
    /// and an invalid transforms section must fail start-up with its own error, not inside YARP's.
    /// </summary>
    public ProcessTransformCompiler(IOptionsMonitor<TransformOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<ProcessTransformCompiler> logger)
        : this(new(() => (Path.GetFullPath(options.CurrentValue.Path, environment.ContentRootPath), options.CurrentValue.Sandbox)), options, time, logger)
    {
    }

    /// <summary>A compiler for the transforms in <paramref name="transformsFolder"/>, under <paramref name="sandbox"/>.</summary>
    public ProcessTransformCompiler(string transformsFolder, SandboxOptions sandbox, IOptionsMonitor<TransformOptions> options, TimeProvider time, ILogger<ProcessTransformCompiler> logger)
        : this(new((Path.GetFullPath(transformsFolder), sandbox)), options, time, logger)
    {
    }

    private ProcessTransformCompiler(Lazy<(string Folder, SandboxOptions Sandbox)> setup, IOptionsMonitor<TransformOptions> options, TimeProvider time, ILogger<ProcessTransformCompiler> logger)
    {
        _setup = setup;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public string TransformsFolder => _setup.Value.Folder;

    /// <summary>Compiler processes started so far (tests and logs).</summary>
    public int Starts { get; private set; }

    /// <summary>The live compiler process's id, or null when none runs.</summary>
    public int? ProcessId
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasEnded: false } process ? process.ProcessId : null;
            }
        }
    }

    /// <inheritdoc />
    public async Task<TransformCompilation> CompileAsync(string path, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var fullPath = Path.GetFullPath(path);
        var options = _options.CurrentValue.Compiler;
        var process = Acquire();
        try
        {
            var frame = await process.CompileAsync(fullPath, source).WaitAsync(options.Deadline, _time, cancellationToken);
            return frame.ToCompilation();
        }
        catch (TimeoutException)
        {
            // A compile that hangs holds the process: end it (the others it held fail with it), the next starts afresh.
            process.Kill($"a compile of {fullPath} overran its deadline of {options.Deadline}");
            LogCompilerKilled(_logger, process.ProcessId, fullPath, options.Deadline);
            return Failed(fullPath, $"The compiler process did not finish compiling this transform within {options.Deadline} ({TransformOptions.Section}:Compiler:Deadline): it was stopped.");
        }
        catch (CompilerProcessException e)
        {
            LogCompilerFailed(_logger, fullPath, e.Message);
            return Failed(fullPath, $"This transform could not be compiled: {e.Message}.");
        }
        finally
        {
            Release(process);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        CompilerProcess? process;
        lock (_gate)
        {
            _disposed = true;
            _idle?.Dispose();
            _idle = null;
            process = _process;
            _process = null;
        }

        if (process is not null)
        {
            await process.StopAsync();
            await process.DisposeAsync();
        }
    }

    private CompilerProcess Acquire()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _idle?.Dispose();
            _idle = null;
            if (_process is { HasEnded: false } live)
            {
                return live;
            }

            var retired = _process;
            _process = CompilerProcess.Start(TransformsFolder, _setup.Value.Sandbox);
            Starts++;
            LogCompilerStarted(_logger, _process.ProcessId, TransformsFolder);
            if (retired is not null)
            {
                _ = retired.DisposeAsync().AsTask();
            }

            return _process;
        }
    }

    // After the last compile in flight, the process stays for the idle timeout, then goes.
    private void Release(CompilerProcess process)
    {
        lock (_gate)
        {
            if (_disposed || !ReferenceEquals(process, _process) || process.Pending > 0)
            {
                return;
            }

            _idle?.Dispose();
            var idleTimeout = _options.CurrentValue.Compiler.IdleTimeout;
            _idle = _time.CreateTimer(_ => StopIfIdle(process, idleTimeout), null, idleTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void StopIfIdle(CompilerProcess process, TimeSpan idleTimeout)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(process, _process) || process.Pending > 0)
            {
                return;
            }

            _process = null;
            _idle?.Dispose();
            _idle = null;
        }

        LogCompilerIdle(_logger, process.ProcessId, idleTimeout);
        _ = StopAsync(process);
    }

    private static async Task StopAsync(CompilerProcess process)
    {
        await process.StopAsync();
        await process.DisposeAsync();
    }

    private TransformCompilation Failed(string fullPath, string message) =>
        new(TransformIdentity.NameOf(TransformsFolder, fullPath), fullPath, null, [new TransformDiagnostic(fullPath, 1, 1, "error", "GW0008", message)]);
}
