using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace Gateway.Scripting.Isolation;

/// <summary>
/// One end of the channel between the gateway and a transform host (the host's standard input and output): frames
/// of <c>[length: int32 LE][kind: byte][JSON]</c>. Writes from any thread are queued and written, in order, by
/// one writer loop that gathers every frame queued into one write, so a burst of calls costs few system calls;
/// or, on a side that writes inline (the host), by the sending thread itself, which also writes whatever other
/// threads queued while it wrote. Reads are buffered, so one read takes every frame that has arrived.
/// </summary>
public sealed class HostChannel : IAsyncDisposable
{
    /// <summary>The largest frame either side accepts (a transform's image is the largest frame).</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    // What one read takes at most, and how much the writer loop gathers before it writes.
    private const int ReadBufferBytes = 64 * 1024;
    private const int WriteBatchBytes = 64 * 1024;

    private readonly Stream _input;
    private readonly Stream _output;
    private readonly Channel<(HostFrameKind Kind, object Frame)> _outgoing =
        Channel.CreateUnbounded<(HostFrameKind, object)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly byte[] _header = new byte[5];
    private readonly bool _writeInline;
    private readonly object _inlineGate = new();
    private readonly System.Collections.Concurrent.ConcurrentBag<FrameWriter> _frameWriters = [];
    private ArrayBufferWriter<byte> _inlinePending = new(4096);
    private ArrayBufferWriter<byte> _inlineWriting = new(4096);
    private bool _inlineFlushing;
    private bool _closed;

    /// <summary>Creates a channel over <paramref name="input"/> (frames read) and <paramref name="output"/> (frames written).</summary>
    /// <param name="input">The stream frames arrive on.</param>
    /// <param name="output">The stream frames are written to.</param>
    /// <param name="writeInline">
    /// Write each frame on the sending thread rather than hand it to the writer loop: one thread hop less per frame.
    /// Frames are serialised outside any lock; a thread that finds another writing leaves its frame for that one
    /// to write with its own, so concurrent replies share one system call. Only for a side whose reader always
    /// reads (the host: the gateway reads its replies on a loop of their own); a side that could block on a full
    /// pipe must not write inline.
    /// </param>
    public HostChannel(Stream input, Stream output, bool writeInline = false)
    {
        // Reads go through a buffer: under load one read takes several frames (a frame's header and its JSON always).
        _input = new BufferedStream(input, ReadBufferBytes);
        _output = output;
        _writeInline = writeInline;
        _writer = writeInline ? Task.CompletedTask : Task.Run(WriteLoopAsync);
    }

    /// <summary>Completes, faulted, when writing fails: the other side has gone.</summary>
    public Task Writer => _writer;

    /// <summary>Queues a frame; never blocks. Returns false when the channel is closed.</summary>
    /// <param name="kind">The frame's kind.</param>
    /// <param name="frame">The frame: one of the types of <see cref="HostFrameJson"/>.</param>
    public bool Send(HostFrameKind kind, object frame)
    {
        if (!_writeInline)
        {
            return _outgoing.Writer.TryWrite((kind, frame));
        }

        // Serialised here, on the sending thread, with no lock held; a frame that cannot be serialised throws here.
        if (!_frameWriters.TryTake(out var frameWriter))
        {
            frameWriter = new FrameWriter();
        }

        try
        {
            var bytes = Encode(frameWriter.Buffer, frameWriter.Json, kind, frame);
            lock (_inlineGate)
            {
                if (_closed)
                {
                    return false;
                }

                _inlinePending.Write(bytes.Span);
                if (_inlineFlushing)
                {
                    return true; // the thread writing now writes this frame too
                }

                _inlineFlushing = true;
            }
        }
        finally
        {
            _frameWriters.Add(frameWriter);
        }

        return FlushInline();
    }

    // Writes what is pending, and what other threads add meanwhile, until nothing is left.
    private bool FlushInline()
    {
        while (true)
        {
            ArrayBufferWriter<byte> writing;
            lock (_inlineGate)
            {
                if (_closed || _inlinePending.WrittenCount == 0)
                {
                    _inlineFlushing = false;
                    return !_closed;
                }

                writing = _inlinePending;
                _inlinePending = _inlineWriting;
                _inlineWriting = writing;
            }

            try
            {
                _output.Write(writing.WrittenSpan);
                _output.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                lock (_inlineGate)
                {
                    _closed = true;
                    _inlineFlushing = false;
                }

                return false;
            }
            finally
            {
                writing.ResetWrittenCount();
            }
        }
    }

    /// <summary>Reads the next frame; <see langword="null"/> at the end of the stream.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<(HostFrameKind Kind, object Frame)?> ReadAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _input.ReadExactlyAsync(_header, cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        var (kind, length) = Header();
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            await _input.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            return (kind, Deserialize(kind, buffer.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads the next frame, blocking the calling thread; <see langword="null"/> at the end of the stream. For a side
    /// that reads on a thread of its own (the host): no task and no thread-pool hop per read.
    /// </summary>
    public (HostFrameKind Kind, object Frame)? Read()
    {
        try
        {
            _input.ReadExactly(_header);
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        var (kind, length) = Header();
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            _input.ReadExactly(buffer.AsSpan(0, length));
            return (kind, Deserialize(kind, buffer.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Stops writing once the queued frames are written, and closes the output.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_inlineGate)
        {
            _closed = true;
        }

        while (_frameWriters.TryTake(out var frameWriter))
        {
            frameWriter.Json.Dispose();
        }

        _outgoing.Writer.TryComplete();
        try
        {
            await _writer.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The other side is gone already.
        }

        await _output.DisposeAsync().ConfigureAwait(false);
    }

    // Every frame queued by the time the loop wakes goes out in one write (up to WriteBatchBytes): under load a
    // burst of calls costs one system call, not one per frame.
    private async Task WriteLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(buffer);
        var reader = _outgoing.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            buffer.ResetWrittenCount();
            while (buffer.WrittenCount < WriteBatchBytes && reader.TryRead(out var item))
            {
                Append(buffer, json, item.Kind, item.Frame);
            }

            await _output.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
            await _output.FlushAsync().ConfigureAwait(false);
        }
    }

    // One frame, header and JSON, into the buffer alone: [length: int32 LE][kind: byte][JSON].
    private static ReadOnlyMemory<byte> Encode(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, HostFrameKind kind, object frame)
    {
        buffer.ResetWrittenCount();
        Append(buffer, json, kind, frame);
        return buffer.WrittenMemory;
    }

    // One frame appended after what the buffer holds.
    private static void Append(ArrayBufferWriter<byte> buffer, Utf8JsonWriter json, HostFrameKind kind, object frame)
    {
        var start = buffer.WrittenCount;
        buffer.GetSpan(5);
        buffer.Advance(5);
        json.Reset(buffer);
        Serialize(json, kind, frame);
        json.Flush();
        var span = System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory).Span[start..];
        BinaryPrimitives.WriteInt32LittleEndian(span, span.Length - 5);
        span[4] = (byte)kind;
    }

    private (HostFrameKind Kind, int Length) Header()
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(_header);
        if (length is < 0 or > MaxFrameBytes)
        {
            throw new InvalidDataException($"A frame of {length} bytes is out of bounds.");
        }

        return ((HostFrameKind)_header[4], length);
    }

    private static object Deserialize(HostFrameKind kind, ReadOnlySpan<byte> span)
    {
        object? frame = kind switch
        {
            HostFrameKind.Load => JsonSerializer.Deserialize(span, HostFrameJson.Default.LoadFrame),
            HostFrameKind.Unload => JsonSerializer.Deserialize(span, HostFrameJson.Default.UnloadFrame),
            HostFrameKind.Run => JsonSerializer.Deserialize(span, HostFrameJson.Default.RunFrame),
            HostFrameKind.Reply => JsonSerializer.Deserialize(span, HostFrameJson.Default.ReplyFrame),
            HostFrameKind.Breach => JsonSerializer.Deserialize(span, HostFrameJson.Default.BreachFrame),
            HostFrameKind.Compile => JsonSerializer.Deserialize(span, CompileFrameJson.Default.CompileFrame),
            HostFrameKind.Compiled => JsonSerializer.Deserialize(span, CompileFrameJson.Default.CompiledFrame),
            _ => throw new InvalidDataException($"Unknown frame kind {(byte)kind}."),
        };
        return frame ?? throw new InvalidDataException($"An empty {kind} frame.");
    }

    private static void Serialize(Utf8JsonWriter writer, HostFrameKind kind, object frame)
    {
        switch (frame)
        {
            case LoadFrame load:
                Write(writer, load, HostFrameJson.Default.LoadFrame);
                break;
            case UnloadFrame unload:
                Write(writer, unload, HostFrameJson.Default.UnloadFrame);
                break;
            case RunFrame run:
                Write(writer, run, HostFrameJson.Default.RunFrame);
                break;
            case ReplyFrame reply:
                Write(writer, reply, HostFrameJson.Default.ReplyFrame);
                break;
            case BreachFrame breach:
                Write(writer, breach, HostFrameJson.Default.BreachFrame);
                break;
            case CompileFrame compile:
                Write(writer, compile, CompileFrameJson.Default.CompileFrame);
                break;
            case CompiledFrame compiled:
                Write(writer, compiled, CompileFrameJson.Default.CompiledFrame);
                break;
            default:
                throw new ArgumentException($"A {kind} frame cannot be a {frame.GetType().Name}.", nameof(frame));
        }
    }

    private static void Write<T>(Utf8JsonWriter writer, T frame, JsonTypeInfo<T> info) => JsonSerializer.Serialize(writer, frame, info);

    // A buffer and a writer to serialise one frame with, reused by the threads that send.
    private sealed class FrameWriter
    {
        public FrameWriter() => Json = new Utf8JsonWriter(Buffer);

        public ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public Utf8JsonWriter Json { get; }
    }
}
