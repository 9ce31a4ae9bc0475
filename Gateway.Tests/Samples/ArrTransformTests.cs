using Gateway.Scripting.Testing;

namespace Gateway.Tests.Samples;

/// <summary><c>Transforms/arr.csx</c>, loaded from the repository and run as the gateway runs it.</summary>
public sealed class ArrTransformTests
{
    private readonly LoadedTransform _arr = TransformLoader.Load(TransformFiles.Find("Transforms/arr.csx"));

    [Fact]
    public async Task RunAsync_NoApiKey_AddsHeaderAndReshapesBody()
    {
        var result = await _arr.RunAsync(Termination.Gateway(401, "No API key found in request"));

        Assert.Empty(result.Failures);
        Assert.Equal(401, result.Status);
        Assert.Equal("some value", result.Headers["x-some-header"]);
        Assert.Equal("""{"error":true,"status":401,"message":"No API key found in request, arr!"}""", result.BodyJson);
        Assert.Empty(result.Webhooks.Sent);
    }

    [Theory]
    [InlineData(404, "No route matched the request")]
    [InlineData(429, "API rate limit exceeded")]
    [InlineData(504, "The upstream server did not answer in time")]
    public async Task RunAsync_GatewayTermination_CarriesItsStatusAndMessage(int status, string message)
    {
        var result = await _arr.RunAsync(Termination.Gateway(status, message));

        Assert.Equal(status, result.Status);
        Assert.Equal($$"""{"error":true,"status":{{status}},"message":"{{message}}, arr!"}""", result.BodyJson);
    }

    [Fact]
    public async Task RunAsync_BodyWithoutMessage_LeavesResponseUnchanged()
    {
        var result = await _arr.RunAsync(Termination.Upstream(500).WithJson("""{"error":"database down"}"""));

        Assert.Empty(result.Failures);
        Assert.Equal(500, result.Status);
        Assert.Equal("""{"error":"database down"}""", result.BodyJson);
        Assert.False(result.Headers.Contains("x-some-header"));
    }

    [Fact]
    public async Task RunAsync_TextBody_LeavesResponseUnchanged()
    {
        var result = await _arr.RunAsync(Termination.Upstream(502).WithText("Bad gateway"));

        Assert.Null(result.Body);
        Assert.Equal("Bad gateway", result.Text);
        Assert.False(result.Headers.Contains("x-some-header"));
    }
}
