using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Exits;

namespace Gateway.Tests.Exits;

public sealed class UpstreamBodyDecoderTests
{
    private const int Limit = 64 * 1024;
    private const string Json = """{"message":"database is down"}""";

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/problem+json")]
    [InlineData("text/json")]
    public async Task Decode_JsonMediaType_IsBody(string contentType)
    {
        var view = await DecodeAsync(Encoding.UTF8.GetBytes(Json), contentType);

        Assert.Equal(UpstreamBodyOutcome.Json, view.Outcome);
        Assert.Equal(Json, view.Json!.ToJsonString());
        Assert.Null(view.Text);
    }

    [Fact]
    public async Task Decode_JsonWithByteOrderMark_IsBody()
    {
        var view = await DecodeAsync([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Json)], "application/json");

        Assert.Equal("database is down", (string?)view.Json!["message"]);
    }

    [Fact]
    public async Task Decode_JsonMediaTypeThatIsNotJson_IsText()
    {
        var view = await DecodeAsync(Encoding.UTF8.GetBytes("<h1>502 Bad Gateway</h1>"), "application/json");

        Assert.Equal(UpstreamBodyOutcome.Text, view.Outcome);
        Assert.Equal("<h1>502 Bad Gateway</h1>", view.Text);
        Assert.Null(view.Json);
    }

    [Theory]
    [InlineData("text/html; charset=utf-8")]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("application/soap+xml")]
    public async Task Decode_TextMediaType_IsText(string contentType)
    {
        var view = await DecodeAsync(Encoding.UTF8.GetBytes("Ünïcode <b>text</b>"), contentType);

        Assert.Equal(UpstreamBodyOutcome.Text, view.Outcome);
        Assert.Equal("Ünïcode <b>text</b>", view.Text);
    }

    [Fact]
    public async Task Decode_TextInItsDeclaredCharset_IsDecodedWithIt()
    {
        var view = await DecodeAsync(Encoding.Latin1.GetBytes("café"), "text/plain; charset=iso-8859-1");

        Assert.Equal("café", view.Text);
    }

    [Fact]
    public async Task Decode_TextInAnUnknownCharset_IsReadAsUtf8()
    {
        var view = await DecodeAsync(Encoding.UTF8.GetBytes("café"), "text/plain; charset=x-unheard-of");

        Assert.Equal("café", view.Text);
    }

    [Fact]
    public async Task Decode_TextThatLooksLikeJson_StaysText()
    {
        var view = await DecodeAsync(Encoding.UTF8.GetBytes("42"), "text/plain");

        Assert.Equal(UpstreamBodyOutcome.Text, view.Outcome);
        Assert.Equal("42", view.Text);
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/octet-stream")]
    public async Task Decode_BinaryMediaType_IsNeither(string contentType)
    {
        var view = await DecodeAsync([0x89, 0x50, 0x4E, 0x47], contentType);

        Assert.Equal(UpstreamBodyOutcome.Binary, view.Outcome);
        Assert.Null(view.Json);
        Assert.Null(view.Text);
    }

    [Theory]
    [InlineData(Json, "Json")]
    [InlineData("Service Unavailable", "Text")]
    public async Task Decode_NoContentType_IsJsonIfItParsesElseText(string body, string expected)
    {
        var view = await DecodeAsync(Encoding.UTF8.GetBytes(body), null);

        Assert.Equal(expected, view.Outcome.ToString());
    }

    [Fact]
    public async Task Decode_NoContentTypeAndNotUtf8_IsBinary()
    {
        var view = await DecodeAsync([0xFF, 0xFE, 0x00, 0xC3], null);

        Assert.Equal(UpstreamBodyOutcome.Binary, view.Outcome);
    }

    [Fact]
    public async Task Decode_Empty_IsEmpty()
    {
        var view = await DecodeAsync([], "application/json");

        Assert.Equal(UpstreamBodyOutcome.Empty, view.Outcome);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("br")]
    [InlineData("deflate")]
    [InlineData("gzip, br")]
    [InlineData("identity")]
    public async Task Decode_ContentEncoding_IsUndone(string codings)
    {
        var list = codings.Split(", ");
        var view = await DecodeAsync(Encode(Encoding.UTF8.GetBytes(Json), list), "application/json", list);

        Assert.Equal(UpstreamBodyOutcome.Json, view.Outcome);
        Assert.Equal(Json, view.Json!.ToJsonString());
    }

    [Fact]
    public async Task Decode_UnknownContentEncoding_IsUndecodable()
    {
        var view = await DecodeAsync(Encoding.UTF8.GetBytes(Json), "application/json", ["compress"]);

        Assert.Equal(UpstreamBodyOutcome.Undecodable, view.Outcome);
        Assert.Null(view.Json);
    }

    [Fact]
    public async Task Decode_CorruptGzip_IsUndecodable()
    {
        // A gzip header, then a deflate block of the reserved type 3.
        var view = await DecodeAsync([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF], "application/json", ["gzip"]);

        Assert.Equal(UpstreamBodyOutcome.Undecodable, view.Outcome);
    }

    [Fact]
    public async Task Decode_GzipThatInflatesPastTheLimit_IsTooLarge()
    {
        var bomb = Encode(new byte[Limit * 20], ["gzip"]);
        Assert.True(bomb.Length < Limit);

        var view = await DecodeAsync(bomb, "text/plain", ["gzip"]);

        Assert.Equal(UpstreamBodyOutcome.TooLarge, view.Outcome);
        Assert.Null(view.Text);
    }

    [Fact]
    public async Task Decode_GzipThatInflatesToExactlyTheLimit_IsRead()
    {
        var view = await DecodeAsync(Encode(new byte[Limit], ["gzip"]), "text/plain", ["gzip"]);

        Assert.Equal(UpstreamBodyOutcome.Text, view.Outcome);
        Assert.Equal(Limit, view.Text!.Length);
    }

    private static async Task<UpstreamBodyView> DecodeAsync(byte[] bytes, string? contentType, string[]? codings = null)
    {
        using var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var coding in codings ?? [])
        {
            content.Headers.ContentEncoding.Add(coding);
        }

        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = content };
        var body = await UpstreamBodyReader.ReadAsync(response, "GET", Limit, CancellationToken.None);
        return UpstreamBodyDecoder.Decode(body, content.Headers, Limit);
    }

    private static byte[] Encode(byte[] bytes, string[] codings)
    {
        foreach (var coding in codings)
        {
            using var buffer = new MemoryStream();
            using (Stream encoder = coding switch
            {
                "gzip" or "x-gzip" => new GZipStream(buffer, CompressionLevel.Fastest),
                "br" => new BrotliStream(buffer, CompressionLevel.Fastest),
                "deflate" => new ZLibStream(buffer, CompressionLevel.Fastest),
                _ => new MemoryStream(),
            })
            {
                if (coding == "identity")
                {
                    continue;
                }

                encoder.Write(bytes);
            }

            bytes = buffer.ToArray();
        }

        return bytes;
    }
}
