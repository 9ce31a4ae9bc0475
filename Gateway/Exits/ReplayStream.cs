namespace Gateway.Exits;

/// <summary>A read-only stream of bytes already received, followed by the rest of the stream they came from.</summary>
internal sealed class ReplayStream(ReadOnlyMemory<byte> received, Stream? rest) : Stream
{
    private ReadOnlyMemory<byte> _pending = received;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        if (!_pending.IsEmpty)
        {
            return TakePending(buffer);
        }

        return rest?.Read(buffer) ?? 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_pending.IsEmpty)
        {
            return ValueTask.FromResult(TakePending(buffer.Span));
        }

        return rest?.ReadAsync(buffer, cancellationToken) ?? ValueTask.FromResult(0);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest?.Dispose();
        }

        base.Dispose(disposing);
    }

    private int TakePending(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _pending.Length);
        _pending.Span[..n].CopyTo(buffer);
        _pending = _pending[n..];
        return n;
    }
}
