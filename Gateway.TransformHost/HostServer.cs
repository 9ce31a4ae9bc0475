using System.Collections.Concurrent;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Isolation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.TransformHost;

/// <summary>
/// Serves one gateway: loads and unloads transform images, and runs each call's chain with the same runner the
/// gateway uses in-process (budgets, watchdog), on the thread that read the call, recording the call's webhooks and log entries as plain data. Each
/// reply carries only strings and numbers made inside the run: no script object leaves this process.
/// </summary>
#pragma warning disable CA1001 // The runner owns nothing to dispose: its threads are the ScriptExecution's, which Program disposes.
internal sealed class HostServer(HostChannel channel, ProgressSlots progress, ScriptExecution execution)
#pragma warning restore CA1001
{
    private readonly ConcurrentDictionary<string, CompiledTransform> _transforms = new(StringComparer.Ordinal);
    private readonly TransformRunner _runner = new(
        NoWebhooks.Instance,
        NullLoggerFactory.Instance,
        quarantine: new ForwardingQuarantine(channel),
        execution: execution);

    private int _inFlight;

    /// <summary>
    /// Reads and runs frames until the gateway closes the channel: each call's chain runs, and its reply is written,
    /// on the thread that read it (<see cref="ChannelReaders"/>), which hands the reading on when one call keeps it.
    /// </summary>
    public async Task RunAsync()
    {
        using (var readers = new ChannelReaders(channel, Run))
        {
            await readers.RunAsync();
        }

        // The gateway closed the channel: let the calls in flight answer, briefly, then go.
        for (var i = 0; i < 100 && Volatile.Read(ref _inFlight) > 0; i++)
        {
            await Task.Delay(20);
        }
    }

    private void Run(object frame)
    {
        switch (frame)
        {
            case LoadFrame load:
                Load(load);
                break;
            case UnloadFrame unload:
                if (_transforms.TryRemove(unload.Key, out var retired))
                {
                    retired.Unload();
                }

                break;
            case RunFrame run:
                // The chain, and then its reply (the call's continuation, inline), on this thread. What the runner
                // hands over is this call's own: after a hand-off of the reading, another thread runs calls too.
                Interlocked.Increment(ref _inFlight);
                IThreadPoolWorkItem? handedOff = null;
                _ = RunAsync(run, work => handedOff = work);
                handedOff?.Execute();
                break;
        }
    }

    private void Load(LoadFrame frame)
    {
        if (_transforms.ContainsKey(frame.Key))
        {
            return;
        }

        try
        {
            var transform = FrameMapping.ToTransform(frame);
            transform.Load();
            _transforms[frame.Key] = transform;
        }
#pragma warning disable CA1031 // An image that does not load fails the calls that name it ("not loaded"), not the host's reader.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"transform host: cannot load {frame.Name}: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task RunAsync(RunFrame frame, Action<IThreadPoolWorkItem> handOff)
    {
        try
        {
            var chain = new CompiledTransform[frame.Keys.Length];
            for (var i = 0; i < chain.Length; i++)
            {
                if (!_transforms.TryGetValue(frame.Keys[i], out var transform))
                {
                    channel.Send(HostFrameKind.Reply, new ReplyFrame(frame.Id, frame.Response,
                        [new FailureFrame(i, 0, TransformFailureKind.Exception, "InvalidOperationException", $"The transform host has not loaded {frame.Keys[i]}.", null)], [], []));
                    return;
                }

                chain[i] = transform;
            }

            var recorder = new CallRecorder();
            var options = new ChainRunOptions
            {
                Webhooks = recorder,
                Log = recorder.LoggerFor,
                Budget = FrameMapping.ToBudget(frame.Budget),
                Starting = index =>
                {
                    progress.Starting(frame.Slot, index);
                    recorder.Running(index);
                },
                Finished = index => progress.Finished(frame.Slot, index),
                HandOff = handOff,
            };
            var result = await _runner.RunAsync(chain, FrameMapping.ToResponse(frame.Response), FrameMapping.ToRequest(frame.Request), options);
            ResponseFrame response;
            try
            {
                response = FrameMapping.ToSerializedFrame(result.Response);
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or NotSupportedException or System.Text.Json.JsonException)
            {
                // A body JSON cannot represent (a NaN, say): the response as it was before the chain.
                response = frame.Response;
                recorder.Unwritable(chain.Length - 1, e);
            }

            var failures = result.Failures.Select(failure => ToFrame(failure, chain)).ToArray();
            channel.Send(HostFrameKind.Reply, new ReplyFrame(frame.Id, response, failures, recorder.Webhooks, recorder.Logs));
        }
#pragma warning disable CA1031 // A fault of the host's own must answer the call, not end the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            channel.Send(HostFrameKind.Reply, new ReplyFrame(frame.Id, frame.Response,
                [new FailureFrame(0, 0, TransformFailureKind.Exception, e.GetType().Name, "The transform host failed: " + e.Message, null)], [], []));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static FailureFrame ToFrame(TransformFailure failure, CompiledTransform[] chain)
    {
        var index = Array.FindIndex(chain, t => t.Name == failure.Transform);
        var breach = (failure.Exception as Gateway.Scripting.Sandbox.TransformBudgetExceededException)?.Breach;
        return new FailureFrame(index, failure.Line, failure.Kind, failure.Exception.GetType().Name, failure.Exception.Message, breach);
    }

    /// <summary>The runner's own sender: every call brings its own (<see cref="CallRecorder"/>).</summary>
    private sealed class NoWebhooks : IWebhookSender
    {
        public static readonly NoWebhooks Instance = new();

        public void Send(string text)
        {
        }

        public void Send(string destination, string text)
        {
        }

        public void Send(WebhookAlert alert)
        {
        }

        public void Send(string destination, WebhookAlert alert)
        {
        }
    }
}
