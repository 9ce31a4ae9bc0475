using System.Diagnostics;
using System.Net;
using Gateway.Exits;
using Gateway.Scripting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Tests.Exits;

public sealed class RequestInfoFactoryTests
{
    [Fact]
    public void Create_CopiesTheRequestLine()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Host = new HostString("example.com:8080");
        context.Request.PathBase = "/api";
        context.Request.Path = "/orders/42";
        context.Request.QueryString = new QueryString("?page=2&sort=asc");
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");

        var info = RequestInfoFactory.Create(context, "orders", TerminationKind.RateLimited);

        Assert.Equal("POST", info.Method);
        Assert.Equal("example.com:8080", info.Host);
        Assert.Equal("/api/orders/42", info.Path);
        Assert.Equal("?page=2&sort=asc", info.Query);
        Assert.Equal("203.0.113.7", info.ClientIp);
        Assert.Equal("orders", info.RouteId);
        Assert.Equal(TerminationKind.RateLimited, info.Termination);
    }

    [Fact]
    public void Create_NoRouteNoPathNoQuery_UsesDefaults()
    {
        var context = new DefaultHttpContext();

        var info = RequestInfoFactory.Create(context, null, TerminationKind.NoRoute);

        Assert.Equal("/", info.Path);
        Assert.Equal(string.Empty, info.Query);
        Assert.Equal(string.Empty, info.Host);
        Assert.Null(info.RouteId);
        Assert.Null(info.ClientIp);
        Assert.Equal(TerminationKind.NoRoute, info.Termination);
    }

    [Fact]
    public void Create_WithinAnActivity_UsesItsTraceId()
    {
        using var activity = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        var context = new DefaultHttpContext { TraceIdentifier = "0HN-connection-id" };

        var info = RequestInfoFactory.Create(context, null, TerminationKind.NoRoute);

        Assert.Equal(activity.TraceId.ToHexString(), info.TraceId);
        Assert.Equal(32, info.TraceId.Length);
    }

    [Fact]
    public void Create_WithoutAnActivity_UsesTheTraceIdentifier()
    {
        Activity.Current = null;
        var context = new DefaultHttpContext { TraceIdentifier = "0HN-connection-id" };

        var info = RequestInfoFactory.Create(context, null, TerminationKind.NoRoute);

        Assert.Equal("0HN-connection-id", info.TraceId);
    }

    [Theory]
    [InlineData("apikey")]
    [InlineData("ApiKey")]
    [InlineData("Authorization")]
    [InlineData("authorization")]
    [InlineData("Proxy-Authorization")]
    [InlineData("Cookie")]
    public void Create_CredentialHeader_ReadsAsRedacted(string name)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[name] = "secret-value";
        context.Request.Headers["X-Request-Id"] = "abc-123";

        var info = RequestInfoFactory.Create(context, "orders", TerminationKind.Unauthorized);

        Assert.Equal("[redacted]", info.Headers[name]);
        Assert.Equal("[redacted]", info.Headers[name.ToUpperInvariant()]);
        Assert.DoesNotContain(info.Headers.Values, v => v.Contains("secret", StringComparison.Ordinal));
        Assert.Equal("abc-123", info.Headers["x-request-id"]);
    }

    [Fact]
    public void Create_OtherHeaders_AreKeptIntact()
    {
        var context = new DefaultHttpContext();
        context.Request.Host = new HostString("example.com");
        context.Request.Headers.UserAgent = "curl/8.5.0";
        context.Request.Headers["X-Api-Version"] = "2";

        var info = RequestInfoFactory.Create(context, "orders", TerminationKind.Unauthorized);

        Assert.Equal("curl/8.5.0", info.Headers["user-agent"]);
        Assert.Equal("2", info.Headers["X-API-VERSION"]);
        Assert.Equal("example.com", info.Headers["Host"]);
        Assert.Equal(3, info.Headers.Count);
    }

    [Fact]
    public void Create_HeaderWithSeveralValues_JoinsThemWithCommaSpace()
    {
        var context = new DefaultHttpContext();
        context.Request.Headers["X-Forwarded-For"] = new StringValues(["198.51.100.1", "198.51.100.2"]);

        var info = RequestInfoFactory.Create(context, "orders", TerminationKind.Unauthorized);

        Assert.Equal("198.51.100.1, 198.51.100.2", info.Headers["X-Forwarded-For"]);
    }

    [Theory]
    [InlineData("?a=1&apikey=secret&b=2", "?a=1&apikey=[redacted]&b=2")]
    [InlineData("?apikey=secret", "?apikey=[redacted]")]
    [InlineData("?APIKEY=secret", "?APIKEY=[redacted]")]
    [InlineData("?apikey", "?apikey=[redacted]")]
    [InlineData("?apikey=one&x=apikey&apikey=two", "?apikey=[redacted]&x=apikey&apikey=[redacted]")]
    [InlineData("?x=apikey", "?x=apikey")]
    [InlineData("?apikeys=1&my-apikey=2", "?apikeys=1&my-apikey=2")]
    [InlineData("?a=1&b=2", "?a=1&b=2")]
    public void Create_Query_RedactsTheApiKeyParameterOnly(string query, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);

        var info = RequestInfoFactory.Create(context, "orders", TerminationKind.Unauthorized);

        Assert.Equal(expected, info.Query);
    }

    [Theory]
    [InlineData("?api%6Bey=secret", "?api%6Bey=[redacted]")]
    [InlineData("?%61pikey=secret", "?%61pikey=[redacted]")]
    public void Create_QueryWithEncodedApiKeyName_IsRedacted(string query, string expected)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);

        var info = RequestInfoFactory.Create(context, "orders", TerminationKind.Unauthorized);

        Assert.Equal("secret", context.Request.Query["apikey"]);
        Assert.Equal(expected, info.Query);
    }
}
