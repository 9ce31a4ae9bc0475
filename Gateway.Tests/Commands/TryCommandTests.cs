using Gateway.Commands;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Commands;

/// <summary>The <c>try</c> command on the repository's samples.</summary>
public sealed class TryCommandTests
{
    [Theory]
    [InlineData("arr.csx", new[] { "--status", "401", "--body", "{\"message\":\"x\"}" }, "Status: 401")]
    [InlineData("arr.csx", new[] { "--status", "401", "--body", "{\"message\":\"x\"}" }, "  x-some-header: some value")]
    [InlineData("arr.csx", new[] { "--status", "401", "--body", "{\"message\":\"x\"}" }, "\"message\": \"x, arr!\"")]
    // A gateway status without a body starts from the terminations table's message.
    [InlineData("arr.csx", new[] { "--status", "400" }, "\"message\": \"The request body could not be read, arr!\"")]
    // The webhooks it would have sent are listed.
    [InlineData("slack-alert.csx", new[] { "--status", "404", "--method", "POST", "--path", "/orders" }, "(default): POST example.com/orders → 404: No route matched the request")]
    // A status the gateway never produces is tried as an upstream response.
    [InlineData("problem-details.csx", new[] { "--status", "418", "--body", "I'm a teapot" }, "\"detail\": \"The upstream answered 418.\"")]
    public async Task Try_Sample_PrintsWhatItWouldAnswer(string transform, string[] arguments, string expected)
    {
        using var output = new StringWriter();

        var exit = await TryCommand.RunAsync([Path.Combine(RepositoryPaths.Transforms, transform), .. arguments], RepositoryPaths.GatewayProject, output);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Try_BadArguments_PrintUsage()
    {
        using var output = new StringWriter();

        var exit = await TryCommand.RunAsync(["arr.csx"], RepositoryPaths.GatewayProject, output);

        Assert.Equal(2, exit);
        Assert.Contains(TryCommand.Usage, output.ToString(), StringComparison.Ordinal);
    }
}
