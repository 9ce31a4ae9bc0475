using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Management;

/// <summary>
/// The gateway's logger factory as the management server sees it: everything goes to the gateway's logs, except
/// <c>Microsoft.Hosting.Lifetime</c>, whose "Now listening on" must name the proxy's address alone (the management
/// server logs its own address as <c>Gateway.Management.ManagementServer</c>).
/// </summary>
internal sealed class ManagementLoggerFactory(ILoggerFactory gateway) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName == "Microsoft.Hosting.Lifetime" ? NullLogger.Instance : gateway.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => gateway.AddProvider(provider);

    // The gateway's host owns and disposes the factory.
    public void Dispose()
    {
    }
}
