using Gateway.Scripting;

namespace Gateway.Tests.Scripting.Abstractions;

public sealed class ResponseHeadersTests
{
    [Fact]
    public void Indexer_NameInAnyCase_ReadsAndReplacesTheSameHeader()
    {
        var headers = new ResponseHeaders { ["X-Some-Header"] = "one" };

        headers["x-some-header"] = "two";

        Assert.Equal("two", headers["X-SOME-HEADER"]);
        Assert.Equal(1, headers.Count);
        Assert.True(headers.Contains("x-SOME-header"));
    }

    [Fact]
    public void Indexer_Absent_IsNull()
    {
        var headers = new ResponseHeaders();

        Assert.Null(headers["x-missing"]);
        Assert.Empty(headers.GetValues("x-missing"));
    }

    [Fact]
    public void GetValues_IsACopyThatCannotBeChanged()
    {
        var headers = new ResponseHeaders();
        headers.Append("Set-Cookie", "a=1");

        var values = headers.GetValues("set-cookie");

        // Before: the live List<string>, through which a script added "x\r\ny: z" past the checks.
        Assert.IsNotType<List<string>>(values);
        Assert.Throws<NotSupportedException>(() => ((ICollection<string>)values).Add("evil\r\nInjected: yes"));
        Assert.Throws<NotSupportedException>(() => ((IList<string>)values)[0] = "evil\r\nInjected: yes");
        headers.Append("Set-Cookie", "b=2");
        Assert.Equal(["a=1"], values);
        Assert.Equal(["a=1", "b=2"], headers.GetValues("Set-Cookie"));
    }

    [Fact]
    public void NamesAndEnumeration_AreSnapshots_SoRemovingWhileGoingThroughIsFine()
    {
        var headers = new ResponseHeaders { ["x-a"] = "1", ["x-b"] = "2", ["x-c"] = "3" };

        foreach (var name in headers.Names)
        {
            headers.Remove(name);
        }

        Assert.Equal(0, headers.Count);
        headers["x-a"] = "1";
        headers["x-b"] = "2";
        foreach (var (name, value) in headers)
        {
            headers[name + "-copy"] = value;
        }

        Assert.Equal(["x-a", "x-a-copy", "x-b", "x-b-copy"], headers.Names.Order(StringComparer.Ordinal));
        Assert.Throws<NotSupportedException>(() => ((ICollection<string>)headers.Names).Add("x-d"));
    }

    [Fact]
    public void Indexer_SetNull_RemovesTheHeader()
    {
        var headers = new ResponseHeaders { ["x-a"] = "1", ["x-b"] = "2" };

        headers["X-A"] = null;

        Assert.False(headers.Contains("x-a"));
        Assert.Equal(["x-b"], headers.Names);
    }

    [Fact]
    public void Indexer_Set_ReplacesEveryAppendedValue()
    {
        var headers = new ResponseHeaders();
        headers.Append("Set-Cookie", "a=1");
        headers.Append("Set-Cookie", "b=2");

        headers["set-cookie"] = "c=3";

        Assert.Equal(["c=3"], headers.GetValues("Set-Cookie"));
    }

    [Fact]
    public void Append_KeepsEarlierValuesAndEnumeratesEachOne()
    {
        var headers = new ResponseHeaders { ["x-other"] = "x" };

        headers.Append("Set-Cookie", "a=1");
        headers.Append("set-cookie", "b=2");

        Assert.Equal("a=1, b=2", headers["Set-Cookie"]);
        Assert.Equal(["a=1", "b=2"], headers.GetValues("SET-COOKIE"));
        Assert.Equal(2, headers.Count);
        Assert.Equal(
            [KeyValuePair.Create("x-other", "x"), KeyValuePair.Create("Set-Cookie", "a=1"), KeyValuePair.Create("Set-Cookie", "b=2")],
            headers);
    }

    [Fact]
    public void Remove_ReportsWhetherTheHeaderWasThere()
    {
        var headers = new ResponseHeaders { ["x-a"] = "1" };

        Assert.True(headers.Remove("X-A"));
        Assert.False(headers.Remove("x-a"));
        Assert.Equal(0, headers.Count);
    }

    [Fact]
    public void Clone_IsIndependentOfTheOriginal()
    {
        var original = new ResponseHeaders { ["x-a"] = "1" };
        original.Append("Set-Cookie", "a=1");

        var copy = original.Clone();
        copy["x-a"] = "changed";
        copy.Append("Set-Cookie", "b=2");
        copy["x-new"] = "new";
        original["x-original-only"] = "o";

        Assert.Equal([KeyValuePair.Create("x-a", "1"), KeyValuePair.Create("Set-Cookie", "a=1"), KeyValuePair.Create("x-original-only", "o")], original);
        Assert.Equal([KeyValuePair.Create("x-a", "changed"), KeyValuePair.Create("Set-Cookie", "a=1"), KeyValuePair.Create("Set-Cookie", "b=2"), KeyValuePair.Create("x-new", "new")], copy);
    }

    [Theory]
    [InlineData("set")]
    [InlineData("append")]
    [InlineData("remove")]
    [InlineData("set null")]
    public void CopyOnWrite_Changed_LeavesTheSourceAsItWas(string change)
    {
        var source = new ResponseHeaders { ["x-a"] = "1" };
        source.Append("Set-Cookie", "a=1");
        var copy = source.CopyOnWrite();

        switch (change)
        {
            case "set": copy["X-A"] = "changed"; break;
            case "append": copy.Append("set-cookie", "b=2"); break;
            case "remove": Assert.True(copy.Remove("x-a")); break;
            default: copy["x-a"] = null; break;
        }

        Assert.Equal([KeyValuePair.Create("x-a", "1"), KeyValuePair.Create("Set-Cookie", "a=1")], source);
        Assert.NotEqual(source.ToList(), copy.ToList());
        copy.Append("x-later", "2");
        Assert.False(source.Contains("x-later"));
        Assert.Equal("2", copy["X-LATER"]);
    }

    [Fact]
    public void CopyOnWrite_Unchanged_ReadsAsTheSource()
    {
        var source = new ResponseHeaders { ["X-A"] = "1" };
        source.Append("Set-Cookie", "a=1");
        source.Append("Set-Cookie", "b=2");

        var copy = source.CopyOnWrite();

        Assert.False(copy.Remove("x-absent"));
        Assert.Equal(source.ToList(), copy.ToList());
        Assert.Equal("a=1, b=2", copy["set-cookie"]);
        Assert.Equal(["a=1", "b=2"], copy.GetValues("SET-COOKIE"));
        Assert.Equal(2, copy.Count);
    }

    [Fact]
    public void CopyOnWrite_OfACopy_ChangedLeavesBothEarlierOnesAsTheyWere()
    {
        var source = new ResponseHeaders { ["x-a"] = "1" };
        var first = source.CopyOnWrite();
        var second = first.CopyOnWrite();

        second["x-a"] = "2";
        first["x-b"] = "1";

        Assert.Equal([KeyValuePair.Create("x-a", "1")], source);
        Assert.Equal([KeyValuePair.Create("x-a", "1"), KeyValuePair.Create("x-b", "1")], first);
        Assert.Equal([KeyValuePair.Create("x-a", "2")], second);
    }

    [Fact]
    public void CopyOnWrite_SourceChangedAfterwards_LeavesTheCopyAsItWas()
    {
        var source = new ResponseHeaders { ["x-a"] = "1" };
        var copy = source.CopyOnWrite();

        source["x-a"] = "changed";
        source.Append("x-b", "1");

        Assert.Equal([KeyValuePair.Create("x-a", "1")], copy);
        Assert.Equal([KeyValuePair.Create("x-a", "changed"), KeyValuePair.Create("x-b", "1")], source);
    }

    [Fact]
    public void Clone_KeepsNamesCaseInsensitive()
    {
        var copy = new ResponseHeaders { ["X-A"] = "1" }.Clone();

        Assert.Equal("1", copy["x-a"]);
    }

    [Theory]
    [InlineData("Content-Length")]
    [InlineData("content-length")]
    [InlineData("Transfer-Encoding")]
    [InlineData("Connection")]
    [InlineData("Keep-Alive")]
    [InlineData("Proxy-Connection")]
    [InlineData("TE")]
    [InlineData("Trailer")]
    [InlineData("UPGRADE")]
    public void Set_GatewayOwnedName_IsRefused(string name)
    {
        var headers = new ResponseHeaders();

        Assert.Throws<ArgumentException>(() => headers[name] = "x");
        Assert.Throws<ArgumentException>(() => headers.Append(name, "x"));
        Assert.True(ResponseHeaders.IsGatewayOwned(name));
        Assert.Equal(0, headers.Count);
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("Set-Cookie")]
    [InlineData("x-some-header")]
    [InlineData("WWW-Authenticate")]
    public void IsGatewayOwned_OrdinaryName_IsFalse(string name) =>
        Assert.False(ResponseHeaders.IsGatewayOwned(name));

    [Theory]
    [InlineData("")]
    [InlineData("x header")]
    [InlineData("x:header")]
    [InlineData("x-header:")]
    [InlineData("x\theader")]
    [InlineData("x\r\nheader")]
    [InlineData("x(header)")]
    [InlineData("x\"header")]
    [InlineData("x/header")]
    [InlineData("x-hé")]
    public void Set_InvalidName_IsRefused(string name)
    {
        var headers = new ResponseHeaders();

        Assert.Throws<ArgumentException>(() => headers[name] = "x");
        Assert.Throws<ArgumentException>(() => headers.Append(name, "x"));
        Assert.Equal(0, headers.Count);
    }

    [Theory]
    [InlineData("x-header")]
    [InlineData("X_Header.1")]
    [InlineData("!#$%&'*+-.^_`|~")]
    public void Set_TokenName_IsAccepted(string name)
    {
        var headers = new ResponseHeaders { [name] = "x" };

        Assert.Equal("x", headers[name]);
    }

    [Theory]
    [InlineData("a\r\nb")]
    [InlineData("a\rb")]
    [InlineData("a\nb")]
    [InlineData("a\0b")]
    [InlineData("a\u0001b")]
    [InlineData("a\u007Fb")]
    [InlineData("\r\nx-injected: 1")]
    public void Set_ValueWithControlCharacter_IsRefused(string value)
    {
        var headers = new ResponseHeaders { ["x-a"] = "before" };

        Assert.Throws<ArgumentException>(() => headers["x-a"] = value);
        Assert.Throws<ArgumentException>(() => headers.Append("x-a", value));
        Assert.Equal(["before"], headers.GetValues("x-a"));
    }

    [Theory]
    [InlineData("a\tb")]
    [InlineData("")]
    [InlineData("some value, with \"quotes\"; q=0.5")]
    public void Set_ValueWithTabOrVisibleText_IsAccepted(string value)
    {
        var headers = new ResponseHeaders { ["x-a"] = value };

        Assert.Equal(value, headers["x-a"]);
    }

    [Theory]
    [InlineData("café")]
    [InlineData("arr \u2620")]
    public void Set_NonAsciiValue_IsRefused(string value)
    {
        var headers = new ResponseHeaders();

        Assert.Throws<ArgumentException>(() => headers["x-a"] = value);
    }
}
