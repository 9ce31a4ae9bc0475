using Microsoft.AspNetCore.Http;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>The request <c>bench/load.sh</c>'s wrk sends without an API key, as an <see cref="HttpContext"/>.</summary>
internal static class WrkRequest
{
    /// <summary>A context holding that request, its response written nowhere.</summary>
    public static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = HttpMethods.Get;
        request.Scheme = "http";
        request.Host = new HostString("example.com");
        request.Path = "/";
        request.Headers.UserAgent = "wrk";
        request.Headers.Accept = "*/*";
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
        context.Response.Body = Stream.Null;
        return context;
    }
}
