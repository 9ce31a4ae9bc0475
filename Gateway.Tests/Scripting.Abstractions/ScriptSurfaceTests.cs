using Gateway.Scripting.Testing;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scripting.Abstractions;

/// <summary>
/// What the script API hands out, as real transforms use it (compiled from files, run by the gateway's runner):
/// nothing leads to a live collection, a 1xx status is refused, and a missing request header reads null.
/// </summary>
public sealed class ScriptSurfaceTests : IDisposable
{
    private static readonly Termination NoKey = Termination.Gateway(401, "No API key found in request");

    private readonly TempTransformsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GetValues_CastToList_ChangesNothing()
    {
        var result = await RunAsync("""
            Headers["x-a"] = "1";
            if (Headers.GetValues("x-a") is List<string> live) live.Add("bad\r\nInjected: yes");
            """);

        Assert.Empty(result.Failures);
        Assert.Equal(["1"], result.Headers.GetValues("x-a"));
    }

    [Fact]
    public async Task RequestHeaders_OneTransformCannotChangeThemForTheNext()
    {
        var unredact = _folder.Write("unredact.csx", """
            if ((object)Request.Headers is IDictionary<string, string> live) live["apikey"] = "un-redacted";
            """);
        var report = _folder.Write("report.csx", """Headers["x-apikey"] = Request.Headers["apikey"];""");
        var input = NoKey.WithRequestHeader("apikey", "secret");

        var result = await new TransformChain([TransformLoader.Load(unredact), TransformLoader.Load(report)]).RunAsync(input);

        Assert.Empty(result.Failures);
        Assert.Equal(RequestRedaction.Redacted, result.Headers["x-apikey"]);
    }

    [Fact]
    public async Task RequestHeaders_Absent_ReadsNull_WithTheOldSpellingsStillWorking()
    {
        var result = await RunAsync("""
            Headers["x-content-type"] = Request.Headers["content-type"] ?? "(none)";
            Headers["x-accept"] = Request.Headers.TryGetValue("accept", out var accept) ? accept : "(none)";
            Headers["x-has-host"] = Request.Headers.ContainsKey("HOST") ? "yes" : "no";
            Headers["x-count"] = Request.Headers.Count(header => header.Key.Length > 0).ToString();
            """, NoKey.WithRequestHeader("Accept", "text/html"));

        Assert.Empty(result.Failures);
        Assert.Equal("(none)", result.Headers["x-content-type"]);
        Assert.Equal("text/html", result.Headers["x-accept"]);
        Assert.Equal("yes", result.Headers["x-has-host"]);
        Assert.Equal("2", result.Headers["x-count"]);
    }

    [Fact]
    public async Task Status103_FailsTheTransform_AndLeavesTheResponse()
    {
        var result = await RunAsync("""
            Headers["x-before"] = "set";
            Status = 103;
            """);

        var failure = Assert.Single(result.Failures);
        Assert.IsType<ArgumentOutOfRangeException>(failure.Exception);
        Assert.Contains("interim", failure.Exception!.Message, StringComparison.Ordinal);
        Assert.Equal(401, result.Status);
        Assert.False(result.Headers.Contains("x-before"));
    }

    [Fact]
    public async Task AlertFields_ChangedAfterSend_AreDeliveredAsSent()
    {
        var result = await RunAsync("""
            var fields = new Dictionary<string, string> { ["Route"] = "api" };
            Webhooks.Send(new WebhookAlert("Down") { Fields = fields });
            fields["Route"] = "changed";
            fields["Added"] = "after Send";
            """);

        Assert.Empty(result.Failures);
        var alert = Assert.Single(result.Webhooks.Alerts);
        Assert.Equal([new("Route", "api")], alert.Fields!.ToList());
    }

    [Theory]
    [InlineData(103)]
    [InlineData(200)]
    [InlineData(204)]
    public void UpstreamTermination_StatusNoTransformSees_IsRefused(int status)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Termination.Upstream(status));

        Assert.Contains("1xx and 2xx stream through", error.Message, StringComparison.Ordinal);
    }

    private Task<TransformRunResult> RunAsync(string source, Termination? input = null) =>
        TransformLoader.Load(_folder.Write($"t{Guid.NewGuid():N}.csx", source)).RunAsync(input ?? NoKey);
}
