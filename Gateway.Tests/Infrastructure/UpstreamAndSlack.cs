namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The two stand-ins most gateway tests need, started once for a test class (<c>IClassFixture</c>): a real
/// Kestrel upstream and the loopback Slack stand-in. Each test starts its own gateway against them.
/// </summary>
public sealed class UpstreamAndSlack : IAsyncLifetime
{
    private TestUpstream? _upstream;
    private SlackStandIn? _slack;

    /// <summary>The upstream.</summary>
    internal TestUpstream Upstream => _upstream ?? throw new InvalidOperationException("Not started.");

    /// <summary>The Slack stand-in.</summary>
    internal SlackStandIn Slack => _slack ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _slack = await SlackStandIn.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }

        if (_slack is not null)
        {
            await _slack.DisposeAsync();
        }
    }
}
