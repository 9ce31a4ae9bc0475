using Gateway.Hosting;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The request log is on while its source writes Error (its 5xx lines), read at each request from the level switches
/// that configuration reloads move: requests skip Serilog's middleware, and its per-request collector, only while it is off.
/// </summary>
public sealed class RequestLogSwitchTests
{
    [Fact]
    public void IsOn_FollowsTheDefaultLevelAsItChanges()
    {
        var level = new LoggingLevelSwitch(LogEventLevel.Information);
        using var logger = new LoggerConfiguration().MinimumLevel.ControlledBy(level).CreateLogger();
        var requestLog = new RequestLogSwitch(logger);

        Assert.True(requestLog.IsOn);
        level.MinimumLevel = LogEventLevel.Warning;
        Assert.True(requestLog.IsOn); // a 5xx is still logged, at Error
        level.MinimumLevel = LogEventLevel.Fatal;
        Assert.False(requestLog.IsOn);
        level.MinimumLevel = LogEventLevel.Debug;
        Assert.True(requestLog.IsOn);
    }

    [Fact]
    public void IsOn_FollowsAnOverrideForSerilogsRequestLoggingSource()
    {
        var requestLevel = new LoggingLevelSwitch(LogEventLevel.Fatal);
        using var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override(RequestLogSwitch.SourceContext, requestLevel)
            .CreateLogger();
        var requestLog = new RequestLogSwitch(logger);

        Assert.False(requestLog.IsOn);
        requestLevel.MinimumLevel = LogEventLevel.Information;
        Assert.True(requestLog.IsOn);
    }
}
