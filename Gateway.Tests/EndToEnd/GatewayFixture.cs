using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>An upstream and a gateway with no transforms bound, shared by a test class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private TestUpstream? _upstream;
    private TestGateway? _gateway;

    internal TestUpstream Upstream => _upstream ?? throw new InvalidOperationException("Not started.");

    internal TestGateway Gateway => _gateway ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _upstream = await TestUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(GatewaySettings.For(_upstream.Address), []);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_upstream is not null)
        {
            await _upstream.DisposeAsync();
        }
    }
}
