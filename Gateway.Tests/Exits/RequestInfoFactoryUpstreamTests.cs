using Gateway.Exits;
using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Exits;

/// <summary>What <see cref="RequestInfo"/> says about the upstream: destination, status, latency.</summary>
public sealed class RequestInfoFactoryUpstreamTests
{
    [Fact]
    public void Create_NotForwarded_HasNoUpstreamValues()
    {
        var info = RequestInfoFactory.Create(new DefaultHttpContext(), null, TerminationKind.NoRoute);

        Assert.Null(info.Destination);
        Assert.Null(info.UpstreamStatus);
        Assert.Null(info.UpstreamLatency);
    }

    [Fact]
    public void Create_UpstreamAnswered_HasItsDestinationStatusAndLatency()
    {
        var context = Forwarded("http://10.0.0.5:8080/");
        var timing = new UpstreamTimingFeature();
        context.Features.Set(timing);
        timing.MarkAnswered();

        var info = RequestInfoFactory.Create(context, "api", TerminationKind.UpstreamResponse, 503);

        Assert.Equal("http://10.0.0.5:8080/", info.Destination);
        Assert.Equal(503, info.UpstreamStatus);
        Assert.Equal(timing.Latency, info.UpstreamLatency);
        Assert.Equal(TerminationKind.UpstreamResponse, info.Termination);
    }

    [Fact]
    public void Create_DestinationWithCredentials_LeavesThemOut()
    {
        var info = RequestInfoFactory.Create(Forwarded("https://user:secret@internal.example:8443/base/"), "api", TerminationKind.UpstreamTimeout);

        Assert.Equal("https://internal.example:8443/base/", info.Destination);
    }

    [Fact]
    public void MarkAnswered_KeepsTheFirstLatency()
    {
        var timing = new UpstreamTimingFeature();
        timing.MarkAnswered();
        var first = timing.Latency;

        Thread.Sleep(20);
        timing.MarkAnswered();

        Assert.Equal(first, timing.Latency);
    }

    private static DefaultHttpContext Forwarded(string address)
    {
        var context = new DefaultHttpContext();
        var destination = new DestinationState("one", new DestinationModel(new DestinationConfig { Address = address }));
        context.Features.Set<IReverseProxyFeature>(new ForwardedTo(destination));
        return context;
    }

    private sealed class ForwardedTo : IReverseProxyFeature
    {
        public ForwardedTo(DestinationState destination)
        {
            AllDestinations = [destination];
            AvailableDestinations = [destination];
            ProxiedDestination = destination;
        }

        public RouteModel Route => throw new NotSupportedException();

        public ClusterModel Cluster => throw new NotSupportedException();

        public IReadOnlyList<DestinationState> AllDestinations { get; }

        public IReadOnlyList<DestinationState> AvailableDestinations { get; set; }

        public DestinationState? ProxiedDestination { get; set; }
    }
}
