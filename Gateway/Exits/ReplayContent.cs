using System.Net;

namespace Gateway.Exits;

/// <summary>
/// The upstream's body put back together after the gateway read part of it: the bytes read, then the unread rest
/// of the upstream's stream. The forwarder copies it to the client as it would the original content, so nothing
/// more is buffered. Disposing it disposes the original content.
/// </summary>
internal sealed class ReplayContent(ReadOnlyMemory<byte> received, Stream? rest, HttpContent original) : HttpContent
{
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(received, cancellationToken);
        if (rest is not null)
        {
            await rest.CopyToAsync(stream, cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => new ReplayStream(received, rest);

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new ReplayStream(received, rest));

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => CreateContentReadStreamAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            rest?.Dispose();
            original.Dispose();
        }

        base.Dispose(disposing);
    }
}
