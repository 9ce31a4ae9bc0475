using Gateway.Scripting.Execution;
using Gateway.Scripting.Testing;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scripting.Testing;

/// <summary>The public testing API itself: loading, failing to load, failures, chains, the recorder and the builder.</summary>
public sealed class TransformTestingApiTests : IDisposable
{
    private readonly TempTransformsFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Find_SampleTransform_ReturnsTheRepositoryFile()
    {
        Assert.Equal(Path.Combine(SampleTransforms.Folder, "arr.csx"), TransformFiles.Find("Transforms/arr.csx"));
    }

    [Fact]
    public void Load_ScriptThatDoesNotCompile_ThrowsWithFileLineColumnDiagnostics()
    {
        var path = _folder.Write("broken.csx", "Status = 401;\nBody = nope;\n");

        var error = Assert.Throws<TransformLoadException>(() => TransformLoader.Load(path));

        Assert.Contains($"{path}(2,8): error CS0103: The name 'nope' does not exist in the current context", error.Message, StringComparison.Ordinal);
        Assert.Equal("CS0103", Assert.Single(error.Diagnostics).Code);
    }

    [Fact]
    public void Load_RefusedApi_ThrowsWithSandboxCode()
    {
        var path = _folder.Write("peek.csx", "var secret = System.IO.File.ReadAllText(\"/etc/passwd\");\n");

        var error = Assert.Throws<TransformLoadException>(() => TransformLoader.Load(path));

        Assert.Contains($"{path}(1,", error.Message, StringComparison.Ordinal);
        Assert.Contains("): error GW0101: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => TransformLoader.Load(Path.Combine(_folder.Folder, "missing.csx")));
    }

    [Fact]
    public void Load_SameContentTwice_CompilesOnce()
    {
        var path = _folder.Write("same.csx", "Status = 418;\n");

        var first = TransformLoader.Load(path);
        var second = TransformLoader.Load(path);
        File.WriteAllText(path, "Status = 419;\n");
        var changed = TransformLoader.Load(path);

        Assert.Same(first.Compiled, second.Compiled);
        Assert.NotSame(first.Compiled, changed.Compiled);
    }

    [Fact]
    public async Task RunAsync_TransformThrows_ReportsFailureAndLeavesResponse()
    {
        var path = _folder.Write("boom.csx", "Headers[\"x-half\"] = \"done\";\nthrow new InvalidOperationException(\"boom\");\n");

        var result = await TransformLoader.Load(path).RunAsync(Termination.Gateway(401, "No API key found in request"));

        var failure = Assert.Single(result.Failures);
        Assert.Equal(2, failure.Line);
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.False(result.Headers.Contains("x-half"));
        Assert.Equal("""{"message":"No API key found in request"}""", result.BodyJson);
    }

    [Fact]
    public async Task RunAsync_EndlessLoop_IsStoppedByTheBudget()
    {
        var path = _folder.Write("spin.csx", "while (true) { }\n");
        var options = new TransformLoaderOptions { Budget = new TransformBudgetOptions { WallTime = TimeSpan.FromMilliseconds(50) } };

        var result = await TransformLoader.Load(path, options).RunAsync(Termination.Gateway(500, "An unexpected error occurred in the gateway"));

        Assert.Equal(TransformFailureKind.Budget, Assert.Single(result.Failures).Kind);
        Assert.Equal(500, result.Status);
    }

    [Fact]
    public async Task RunAsync_Chain_RunsInOrder()
    {
        var arr = TransformLoader.Load(TransformFiles.Find("Transforms/arr.csx"));
        var slackAlert = TransformLoader.Load(TransformFiles.Find("Transforms/slack-alert.csx"));
        var input = Termination.Gateway(401, "No API key found in request");

        var arrFirst = await new TransformChain([arr, slackAlert]).RunAsync(input);
        var slackFirst = await new TransformChain([slackAlert, arr]).RunAsync(input);

        Assert.Equal(["GET example.com/ → 401: No API key found in request, arr!"], arrFirst.Webhooks.Messages);
        Assert.Equal(["GET example.com/ → 401: No API key found in request"], slackFirst.Webhooks.Messages);
        Assert.Equal(arrFirst.BodyJson, slackFirst.BodyJson);
    }

    [Fact]
    public async Task RunAsync_EveryKindOfSend_IsRecordedWithItsDestination()
    {
        var path = _folder.Write("send.csx", """
            Webhooks.Send("ops", "to ops");
            Webhooks.Send(new WebhookAlert("Down") { Text = "orders" });
            Webhooks.Send("ops", new WebhookAlert("Slow") { Severity = AlertSeverity.Warning });
            Webhooks.Send("");
            """);

        var result = await TransformLoader.Load(path).RunAsync(Termination.Upstream(503));

        Assert.Equal(["Down", "Slow"], result.Webhooks.Alerts.Select(alert => alert.Title));
        Assert.Equal(["ops", null, "ops"], result.Webhooks.Sent.Select(s => s.Destination));
        Assert.Equal(["to ops", "[Error] Down: orders", "[Warning] Slow"], result.Webhooks.Messages);
    }

    [Fact]
    public void Gateway_StatusTheGatewayNeverProduces_Throws()
    {
        Assert.Throws<ArgumentException>(() => Termination.Gateway(418, "I'm a teapot"));
    }

    [Fact]
    public void Gateway_Row_IsWhatTheGatewayAnswers()
    {
        var termination = Termination.Gateway(GatewayTerminations.UpstreamTimeout);

        Assert.Equal((TerminationKind.UpstreamTimeout, 504), (termination.Kind, termination.Status));
        Assert.Equal("""{"message":"The upstream server did not answer in time"}""", termination.Body!.ToJsonString());
    }

    [Theory]
    [InlineData(401, TerminationKind.Unauthorized, "example", null)]
    [InlineData(404, TerminationKind.NoRoute, null, null)]
    [InlineData(502, TerminationKind.UpstreamUnreachable, "example", Termination.DefaultDestination)]
    [InlineData(503, TerminationKind.NoHealthyDestination, "example", null)]
    public void Gateway_Status_MirrorsWhatTheGatewayProduces(int status, TerminationKind kind, string? routeId, string? destination)
    {
        var request = Termination.Gateway(status, "message").ToRequestInfo();

        Assert.Equal(kind, request.Termination);
        Assert.Equal(routeId, request.RouteId);
        Assert.Equal(destination, request.Destination);
        Assert.Null(request.UpstreamStatus);
    }

    [Fact]
    public void ToRequestInfo_Credentials_AreRedactedAsTheGatewayDoes()
    {
        var request = Termination.Upstream(500)
            .WithRequest(query: "?apikey=secret&page=2")
            .WithRequestHeader("apikey", "secret")
            .WithRequestHeader("Accept", "application/json")
            .ToRequestInfo();

        Assert.Equal("?apikey=[redacted]&page=2", request.Query);
        Assert.Equal("[redacted]", request.Headers["APIKEY"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal("example.com", request.Headers["Host"]);
        Assert.Equal(500, request.UpstreamStatus);
    }

    [Fact]
    public void WithText_UpstreamResponse_SetsItsContentType()
    {
        var response = Termination.Upstream(503).WithJson("""{"a":1}""").WithText("down", "text/html").ToExitResponse();

        Assert.Null(response.Body);
        Assert.Equal("down", response.Text);
        Assert.Equal("text/html", response.Headers["Content-Type"]);
    }
}
