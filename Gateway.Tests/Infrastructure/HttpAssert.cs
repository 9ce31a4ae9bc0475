using System.Net;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>Assertions on a gateway-produced response.</summary>
internal static class HttpAssert
{
    /// <summary>
    /// The response is <paramref name="status"/> with exactly <c>{"message": "<paramref name="message"/>"}</c> as JSON,
    /// and a Content-Length that matches the body.
    /// </summary>
    public static async Task TerminationAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(body), response.Content.Headers.ContentLength);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(message, (string?)json["message"]);
        Assert.Single(json);
    }
}
