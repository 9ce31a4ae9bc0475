using Gateway.Scripting.Testing;

namespace Gateway.Tests.Samples;

/// <summary><c>Transforms/problem-details.csx</c>, loaded from the repository and run as the gateway runs it.</summary>
public sealed class ProblemDetailsTransformTests
{
    private readonly LoadedTransform _problemDetails = TransformLoader.Load(TransformFiles.Find("Transforms/problem-details.csx"));

    [Fact]
    public async Task RunAsync_NoApiKey_WritesProblemDetails()
    {
        var input = Termination.Gateway(401, "No API key found in request").WithRequest(path: "/orders/42");

        var result = await _problemDetails.RunAsync(input);

        Assert.Empty(result.Failures);
        Assert.Equal(401, result.Status);
        Assert.Equal("application/problem+json", result.Headers["Content-Type"]);
        Assert.Equal(
            $$"""{"type":"about:blank","title":"Unauthorized","status":401,"detail":"No API key found in request","instance":"/orders/42","traceId":"{{Termination.DefaultTraceId}}"}""",
            result.BodyJson);
    }

    [Theory]
    [InlineData(404, "Not Found")]
    [InlineData(413, "Content Too Large")]
    [InlineData(429, "Too Many Requests")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(503, "Service Unavailable")]
    [InlineData(504, "Gateway Timeout")]
    public async Task RunAsync_GatewayTermination_TitleFollowsStatus(int status, string title)
    {
        var result = await _problemDetails.RunAsync(Termination.Gateway(status, "message"));

        Assert.Equal(title, result.Body!["title"]!.GetValue<string>());
        Assert.Equal(status, result.Body["status"]!.GetValue<int>());
        Assert.Equal("message", result.Body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_UpstreamText_DoesNotLeakItIntoDetail()
    {
        var input = Termination.Upstream(503).WithText("<html>NullReferenceException at Orders.Save()</html>", "text/html");

        var result = await _problemDetails.RunAsync(input);

        Assert.Null(result.Text);
        Assert.Equal("The upstream answered 503.", result.Body!["detail"]!.GetValue<string>());
        Assert.DoesNotContain("NullReferenceException", result.BodyJson, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", result.Headers["Content-Type"]);
    }

    [Fact]
    public async Task RunAsync_UpstreamJsonMessage_DoesNotLeakItIntoDetail()
    {
        var result = await _problemDetails.RunAsync(Termination.Upstream(500).WithJson("""{"message":"password for db is wrong"}"""));

        Assert.Equal("The upstream answered 500.", result.Body!["detail"]!.GetValue<string>());
        Assert.Equal("Internal Server Error", result.Body["title"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(418, "Client Error")]
    [InlineData(599, "Server Error")]
    public async Task RunAsync_UnlistedUpstreamStatus_GetsGenericTitle(int status, string title)
    {
        var result = await _problemDetails.RunAsync(Termination.Upstream(status));

        Assert.Equal(title, result.Body!["title"]!.GetValue<string>());
    }
}
