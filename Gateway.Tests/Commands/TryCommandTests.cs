using Gateway.Commands;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Commands;

/// <summary>The <c>try</c> command on the repository's samples.</summary>
public sealed class TryCommandTests
{
    [Fact]
    public async Task Try_Arr_PrintsTheReshapedResponse()
    {
        using var output = new StringWriter();

        var exit = await TryCommand.RunAsync(
            [Path.Combine(RepositoryPaths.Transforms, "arr.csx"), "--status", "401", "--body", "{\"message\":\"x\"}"],
            RepositoryPaths.GatewayProject,
            output);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("Status: 401", text, StringComparison.Ordinal);
        Assert.Contains("  x-some-header: some value", text, StringComparison.Ordinal);
        Assert.Contains("\"message\": \"x, arr!\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Try_GatewayStatusWithoutBody_StartsFromTheTablesMessage()
    {
        using var output = new StringWriter();

        var exit = await TryCommand.RunAsync(
            [Path.Combine(RepositoryPaths.Transforms, "arr.csx"), "--status", "400"], RepositoryPaths.GatewayProject, output);

        var text = output.ToString();
        Assert.True(exit == 0, text);
        Assert.Contains("\"message\": \"The request body could not be read, arr!\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Try_SlackAlert_ListsTheWebhookItWouldHaveSent()
    {
        using var output = new StringWriter();

        var exit = await TryCommand.RunAsync(
            [Path.Combine(RepositoryPaths.Transforms, "slack-alert.csx"), "--status", "404", "--method", "POST", "--path", "/orders"],
            RepositoryPaths.GatewayProject,
            output);

        Assert.Equal(0, exit);
        Assert.Contains("(default): POST example.com/orders → 404: No route matched the request", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Try_StatusTheGatewayNeverProduces_IsTriedAsAnUpstreamResponse()
    {
        using var output = new StringWriter();

        var exit = await TryCommand.RunAsync(
            [Path.Combine(RepositoryPaths.Transforms, "problem-details.csx"), "--status", "418", "--body", "I'm a teapot"],
            RepositoryPaths.GatewayProject,
            output);

        Assert.Equal(0, exit);
        Assert.Contains("\"detail\": \"The upstream answered 418.\"", output.ToString(), StringComparison.Ordinal);
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
