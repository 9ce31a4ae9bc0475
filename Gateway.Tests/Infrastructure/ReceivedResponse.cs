using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A response as the client got it: the <c>Content-Length</c> that came on the wire (read before the body, since
/// <see cref="HttpContent"/> reports the buffered length once it has read a body sent without one), then the body.
/// </summary>
internal sealed class ReceivedResponse : IDisposable
{
    private ReceivedResponse(HttpResponseMessage message, long? declaredLength, byte[] body)
    {
        Message = message;
        DeclaredLength = declaredLength;
        Body = body;
    }

    public HttpResponseMessage Message { get; }

    /// <summary>The <c>Content-Length</c> header as sent, or <see langword="null"/> when the body came chunked.</summary>
    public long? DeclaredLength { get; }

    public byte[] Body { get; }

    public string Text => Encoding.UTF8.GetString(Body);

    public string? ContentType => Message.Content.Headers.ContentType?.ToString();

    public static async Task<ReceivedResponse> SendAsync(HttpClient client, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        var message = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var declared = message.Content.Headers.ContentLength;
        var body = await message.Content.ReadAsByteArrayAsync();
        return new ReceivedResponse(message, declared, body);
    }

    public static Task<ReceivedResponse> GetAsync(HttpClient client, string path) => SendAsync(client, HttpMethod.Get, path);

    /// <summary>Asserts that a <c>Content-Length</c> was sent and is the body's exact length.</summary>
    public ReceivedResponse AssertExactLength()
    {
        Assert.NotNull(DeclaredLength);
        Assert.Equal(Body.Length, DeclaredLength);
        return this;
    }

    public void Dispose() => Message.Dispose();
}
