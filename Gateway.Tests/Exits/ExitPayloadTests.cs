using System.Text;
using System.Text.Json.Nodes;
using Gateway.Exits;
using Gateway.Scripting;
using Gateway.Scripting.Execution;

namespace Gateway.Tests.Exits;

public sealed class ExitPayloadTests
{
    [Fact]
    public void From_JsonBody_WritesCompactUtf8Json()
    {
        var body = new JsonObject { ["error"] = true, ["status"] = 401, ["message"] = "No API key found in request, arr! é" };

        var payload = ExitPayload.From(new ExitResponse(401, body, null, new ResponseHeaders()));

        Assert.Equal("application/json; charset=utf-8", payload.ContentType);
        Assert.Equal(
            """{"error":true,"status":401,"message":"No API key found in request, arr! \u00E9"}""",
            Encoding.UTF8.GetString(payload.Bytes.Span));
    }

    [Fact]
    public void From_JsonBody_BytesRoundTrip()
    {
        var body = new JsonObject { ["items"] = new JsonArray(1, "two", null), ["nested"] = new JsonObject { ["ok"] = false } };

        var payload = ExitPayload.From(new ExitResponse(502, body, null, new ResponseHeaders()));

        Assert.True(JsonNode.DeepEquals(body, JsonNode.Parse(payload.Bytes.Span)));
    }

    [Theory]
    [InlineData("application/problem+json")]
    [InlineData("application/problem+json; charset=utf-8")]
    [InlineData("application/vnd.api+json")]
    [InlineData("Application/JSON")]
    public void From_JsonBodyWithJsonContentType_KeepsTheDeclaredType(string declared)
    {
        var headers = new ResponseHeaders { ["Content-Type"] = declared };

        var payload = ExitPayload.From(new ExitResponse(401, new JsonObject { ["title"] = "Unauthorized" }, null, headers));

        Assert.Equal(declared, payload.ContentType);
        Assert.Equal("""{"title":"Unauthorized"}""", Encoding.UTF8.GetString(payload.Bytes.Span));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/html; charset=utf-8")]
    [InlineData("application/xml")]
    public void From_JsonBodyWithNonJsonContentType_SaysApplicationJson(string declared)
    {
        var headers = new ResponseHeaders { ["content-type"] = declared };

        var payload = ExitPayload.From(new ExitResponse(401, new JsonObject { ["message"] = "x" }, null, headers));

        Assert.Equal("application/json; charset=utf-8", payload.ContentType);
    }

    [Fact]
    public void From_Text_WritesUtf8TextAsPlainTextByDefault()
    {
        var payload = ExitPayload.From(new ExitResponse(502, null, "Bad Gateway — arr", new ResponseHeaders()));

        Assert.Equal("text/plain; charset=utf-8", payload.ContentType);
        Assert.Equal(Encoding.UTF8.GetBytes("Bad Gateway — arr"), payload.Bytes.ToArray());
    }

    [Theory]
    [InlineData("text/html; charset=utf-8")]
    [InlineData("application/json")]
    public void From_TextWithContentType_KeepsTheDeclaredType(string declared)
    {
        var headers = new ResponseHeaders { ["Content-Type"] = declared };

        var payload = ExitPayload.From(new ExitResponse(502, null, "<h1>Bad Gateway</h1>", headers));

        Assert.Equal(declared, payload.ContentType);
        Assert.Equal("<h1>Bad Gateway</h1>", Encoding.UTF8.GetString(payload.Bytes.Span));
    }

    [Fact]
    public void From_EmptyText_IsAnEmptyTextBody()
    {
        var payload = ExitPayload.From(new ExitResponse(502, null, string.Empty, new ResponseHeaders()));

        Assert.True(payload.Bytes.IsEmpty);
        Assert.Equal("text/plain; charset=utf-8", payload.ContentType);
    }

    [Fact]
    public void From_NeitherBodyNorText_IsEmptyWithoutContentType()
    {
        var headers = new ResponseHeaders { ["Content-Type"] = "application/json" };

        var payload = ExitPayload.From(new ExitResponse(401, null, null, headers));

        Assert.True(payload.Bytes.IsEmpty);
        Assert.Null(payload.ContentType);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void From_BodyJsonCannotRepresent_Throws(double value)
    {
        var body = new JsonObject { ["ratio"] = value };

        Assert.ThrowsAny<ArgumentException>(() => ExitPayload.From(new ExitResponse(500, body, null, new ResponseHeaders())));
    }
}
