using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Gateway.Scripting.Isolation;

/// <summary>
/// One end of the channel between the gateway and a transform host (or its compiler process): frames of
/// <c>[length: int32 LE][kind: byte][JSON]</c>. A frame is serialised on the sending thread, outside any lock, and
/// written by that same thread: no writer loop and no thread hop per frame. A thread that finds another writing
/// leaves its frame for that one to write with its own, so concurrent frames share one system call. Reads are
/// buffered, so one read takes every frame that has arrived.
/// </summary>
/// <remarks>
/// Writes are <see cref="ChannelWrites.Blocking"/> on a side whose reader always reads (a host's replies, which
/// the gateway reads on a thread of its own), or <see cref="ChannelWrites.NonBlocking"/> where the sender must never
/// wait on the other side (the gateway's calls, sent from request threads): the stream's asynchronous write then
/// completes at once while the socket has room, and otherwise finishes, with whatever was queued meanwhile, on the
/// thread pool. The output may come later than the channel (<see cref="Connect"/>): frames sent before wait for it.
/// </remarks>
public sealed class HostChannel : IAsyncDisposable
{
    /// <summary>The largest frame either side accepts (a transform's image is the largest frame).</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    // What one read takes at most; a larger frame is read into an array of its own.
    private const int ReadBufferBytes = 64 * 1024;
    private const int HeaderBytes = 5;

    // How much a reading thread leaves unwritten while it runs the frames already read.
    private const int DeferredBytes = 64 * 1024;

    private readonly Stream _input;
    private readonly byte[] _read = new byte[ReadBufferBytes];
    private int _readStart;
    private int _readEnd;

    // The thread that returned the last frame read while more was buffered: what it sends waits for its next read.
    private volatile int _readerThread;
    private readonly ChannelWrites _writes;
    private readonly object _gate = new();
    private readonly System.Collections.Concurrent.ConcurrentBag<FrameWriter> _frameWriters = [];
    private Stream? _output;
    private ArrayBufferWriter<byte> _pending = new(4096);
    private ArrayBufferWriter<byte> _writing = new(4096);
    private bool _flushing;
    private bool _closing;
    private bool _closed;
    private TaskCompletionSource? _drained;

    /// <summary>Creates a channel over <paramref name="input"/> (frames read) and <paramref name="output"/> (frames written).</summary>
    /// <param name="input">The stream frames arrive on.</param>
    /// <param name="output">The stream frames are written to; <see langword="null"/> until <see cref="Connect"/> gives it.</param>
    /// <param name="writes">Whether a sender may wait for the other side to read.</param>
    public HostChannel(Stream input, Stream? output, ChannelWrites writes)
    {
        // Reads go through a buffer: under load one read takes several frames (a frame's header and its JSON always).
        _input = input;
        _output = output;
        _writes = writes;
    }

    /// <summary>Gives the channel its output, once the other side has connected; frames sent until now go out first.</summary>
    /// <param name="output">The stream frames are written to.</param>
    public void Connect(Stream output)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (_gate)
        {
            if (_output is not null)
            {
                throw new InvalidOperationException("The channel has its output already.");
            }

            if (_closing || _closed)
            {
                output.Dispose();
                return;
            }

            _output = output;
            if (_flushing || _pending.WrittenCount == 0)
            {
                return;
            }

            _flushing = true;
        }

        Flush();
    }

    /// <summary>Writes a frame, or queues it behind the write in progress. Returns false when the channel is closed.</summary>
    /// <param name="kind">The frame's kind.</param>
    /// <param name="frame">The frame: one of the types of <see cref="HostFrameJson"/>.</param>
    public bool Send(HostFrameKind kind, object frame)
    {
        // Serialised here, on the sending thread, with no lock held; a frame that cannot be serialised throws here.
        if (!_frameWriters.TryTake(out var frameWriter))
        {
            frameWriter = new FrameWriter();
        }

        try
        {
            var bytes = Encode(frameWriter.Buffer, frameWriter.Json, kind, frame);
            lock (_gate)
            {
                if (_closing || _closed)
                {
                    return false;
                }

                _pending.Write(bytes.Span);
                if (_flushing || _output is null)
                {
                    return true; // the thread writing now writes this frame too, or the output's arrival does
                }

                // Sent by the reading thread while more frames wait to be read (a burst): written with the frames it
                // sends for those, before it next waits to read, so a burst costs one write.
                if (_readerThread == Environment.CurrentManagedThreadId && _readEnd > _readStart && _pending.WrittenCount < DeferredBytes)
                {
                    return true;
                }

                _flushing = true;
            }
        }
        finally
        {
            _frameWriters.Add(frameWriter);
        }

        return Flush();
    }

    // The reading thread is about to wait for the other side (more of a frame, or the next one): it defers nothing
    // from now on, and what it left for later goes out first.
    private void BeforeWaitingToRead()
    {
        _readerThread = 0;
        FlushDeferred();
    }

    // Writes what the reading thread left for later, unless another thread is writing (it takes that too).
    private void FlushDeferred()
    {
        lock (_gate)
        {
            if (_flushing || _closed || _output is null || _pending.WrittenCount == 0)
            {
                return;
            }

            _flushing = true;
        }

        Flush();
    }

    // Writes what is pending, and what other threads add meanwhile, until nothing is left. Called by the one thread
    // that set _flushing; a non-blocking write that cannot complete at once goes on in FlushLaterAsync.
    private bool Flush()
    {
        while (true)
        {
            ArrayBufferWriter<byte> writing;
            Stream output;
            lock (_gate)
            {
                if (_closed || _pending.WrittenCount == 0)
                {
                    _flushing = false;
                    _drained?.TrySetResult();
                    return !_closed;
                }

                writing = _pending;
                _pending = _writing;
                _writing = writing;
                output = _output!;
            }

            try
            {
                if (_writes == ChannelWrites.Blocking)
                {
                    output.Write(writing.WrittenSpan);
                    output.Flush();
                }
                else
                {
                    var write = output.WriteAsync(writing.WrittenMemory);
                    if (!write.IsCompletedSuccessfully)
                    {
                        _ = FlushLaterAsync(write, writing);
                        return true;
                    }

                    write.GetAwaiter().GetResult(); // a socket's pooled operation is reused only once its result is taken
                }

                writing.ResetWrittenCount();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                writing.ResetWrittenCount();
                Close();
                return false;
            }
        }
    }

    private async Task FlushLaterAsync(ValueTask write, ArrayBufferWriter<byte> writing)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            writing.ResetWrittenCount();
            Close();
            return;
        }

        writing.ResetWrittenCount();
        Flush();
    }

    // The other side is gone: nothing more is written.
    private void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _flushing = false;
            _drained?.TrySetResult();
        }
    }

    /// <summary>Reads the next frame; <see langword="null"/> at the end of the stream.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async Task<(HostFrameKind Kind, object Frame)?> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (!await FillAsync(HeaderBytes, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var (kind, length) = Header();
        if (length <= _read.Length)
        {
            if (!await FillAsync(length, cancellationToken).ConfigureAwait(false))
            {
                throw new EndOfStreamException();
            }

            return Take(kind, length);
        }

        var large = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffered = Drain(large);
            await _input.ReadExactlyAsync(large.AsMemory(buffered, length - buffered), cancellationToken).ConfigureAwait(false);
            return (kind, Deserialize(kind, large.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(large);
        }
    }

    /// <summary>
    /// Reads the next frame, blocking the calling thread; <see langword="null"/> at the end of the stream. For a side
    /// that reads on a thread of its own: no task and no thread-pool hop per read. Frames this thread sent while more
    /// frames waited to be read are written before it blocks.
    /// </summary>
    public (HostFrameKind Kind, object Frame)? Read()
    {
        if (!Fill(HeaderBytes))
        {
            return null;
        }

        var (kind, length) = Header();
        if (length <= _read.Length)
        {
            if (!Fill(length))
            {
                throw new EndOfStreamException();
            }

            var frame = Take(kind, length);
            _readerThread = Environment.CurrentManagedThreadId;
            return frame;
        }

        var large = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffered = Drain(large);

            BeforeWaitingToRead();
            _input.ReadExactly(large.AsSpan(buffered, length - buffered));
            return (kind, Deserialize(kind, large.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(large);
        }
    }

    // Makes sure `count` bytes are buffered (count <= the buffer's size); false at the end of the stream before any.
    private bool Fill(int count)
    {
        while (_readEnd - _readStart < count)
        {
            Compact(count);

            BeforeWaitingToRead();
            var read = _input.Read(_read, _readEnd, _read.Length - _readEnd);
            if (!Arrived(read))
            {
                return false;
            }
        }

        return true;
    }

    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        while (_readEnd - _readStart < count)
        {
            Compact(count);
            var read = await _input.ReadAsync(_read.AsMemory(_readEnd), cancellationToken).ConfigureAwait(false);
            if (!Arrived(read))
            {
                return false;
            }
        }

        return true;
    }

    private void Compact(int count)
    {
        if (_readStart > 0 && _read.Length - _readStart < count)
        {
            Buffer.BlockCopy(_read, _readStart, _read, 0, _readEnd - _readStart);
            _readEnd -= _readStart;
            _readStart = 0;
        }
    }

    private bool Arrived(int read)
    {
        if (read > 0)
        {
            _readEnd += read;
            return true;
        }

        if (_readEnd == _readStart)
        {
            return false;
        }

        throw new EndOfStreamException("The stream ended inside a frame.");
    }

    private (HostFrameKind Kind, object Frame) Take(HostFrameKind kind, int length)
    {
        var start = _readStart;
        _readStart += length;
        if (_readStart == _readEnd)
        {
            _readStart = _readEnd = 0;
        }

        return (kind, Deserialize(kind, _read.AsSpan(start, length)));
    }

    // Moves what is buffered of a frame larger than the buffer into its own array; returns how much that was.
    private int Drain(byte[] large)
    {
        var buffered = _readEnd - _readStart;
        Buffer.BlockCopy(_read, _readStart, large, 0, buffered);
        _readStart = _readEnd = 0;
        return buffered;
    }

    /// <summary>Takes no more frames, waits for those sent to be written, and closes the output.</summary>
    public async ValueTask DisposeAsync()
    {
        Task drained;
        Stream? output;
        lock (_gate)
        {
            _closing = true;
            output = _output;
            if (_flushing && !_closed)
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
            else
            {
                drained = Task.CompletedTask;
            }
        }

        await drained.ConfigureAwait(false);
        lock (_gate)
        {
            _closed = true;
        }

        while (_frameWriters.TryTake(out var frameWriter))
        {
            frameWriter.Json.Dispose();
        }

        if (output is not null)
        {
            try
            {
                await output.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                // The other side is gone already.
            }
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

    // The header of the frame at the buffer's start (buffered already), consumed.
    private (HostFrameKind Kind, int Length) Header()
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(_read.AsSpan(_readStart));
        var kind = (HostFrameKind)_read[_readStart + 4];
        _readStart += HeaderBytes;
        if (length is < 0 or > MaxFrameBytes)
        {
            throw new InvalidDataException($"A frame of {length} bytes is out of bounds.");
        }

        return (kind, length);
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
