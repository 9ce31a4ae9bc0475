using Gateway.Exits;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Exits;

public sealed class ExitHeadersTests
{
    [Fact]
    public void From_LeavesOutFramingHeadersAndContentEncoding()
    {
        var source = Upstream();

        var headers = ExitHeaders.From(source, includeContentType: true);

        Assert.Equal(["Cache-Control", "Content-Type", "Set-Cookie"], headers.Names.Order(StringComparer.Ordinal));
        Assert.Equal(["a=1", "b=2"], headers.GetValues("Set-Cookie"));
    }

    [Fact]
    public void From_WithoutContentType_LeavesItOut()
    {
        var headers = ExitHeaders.From(Upstream(), includeContentType: false);

        Assert.False(headers.Contains("Content-Type"));
        Assert.True(headers.Contains("Cache-Control"));
    }

    [Fact]
    public void From_ValueWithAControlCharacter_IsLeftOutNotThrown()
    {
        var source = new HeaderDictionary { ["X-Odd"] = "a\u0001b", ["X-Fine"] = "ok" };

        var headers = ExitHeaders.From(source, includeContentType: true);

        Assert.False(headers.Contains("X-Odd"));
        Assert.Equal("ok", headers["X-Fine"]);
    }

    [Fact]
    public void Apply_WritesWhatTheTransformsChanged_AndNothingElse()
    {
        var target = Upstream();
        var before = ExitHeaders.From(target, includeContentType: true);
        var after = before.Clone();
        after.Remove("Cache-Control");
        after["x-added"] = "1";
        after["Content-Encoding"] = "br";

        ExitHeaders.Apply(target, before, after);

        Assert.False(target.ContainsKey("Cache-Control"));
        Assert.Equal("1", target["x-added"]);
        Assert.Equal("gzip", target["Content-Encoding"]);
        Assert.Equal(1234, target.ContentLength);
        Assert.Equal("a=1,b=2", target["Set-Cookie"].ToString());
    }

    private static HeaderDictionary Upstream() => new()
    {
        ["Content-Type"] = "application/json",
        ["Content-Length"] = "1234",
        ["Content-Encoding"] = "gzip",
        ["Transfer-Encoding"] = "chunked",
        ["Cache-Control"] = "no-store",
        ["Set-Cookie"] = new(["a=1", "b=2"]),
    };
}
