using System.Diagnostics.Metrics;
using Gateway.Exits;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Exits;

public sealed class ExitMetricsTests
{
    [Theory]
    [InlineData(TransformFailureKind.NotRun, 1)]
    [InlineData(TransformFailureKind.Exception, 0)]
    [InlineData(TransformFailureKind.Crashed, 0)]
    public void Chain_ThatCouldNotRun_CountsItsTerminationAsUnalerted(TransformFailureKind kind, long unalerted)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new ExitMetrics(factory);
        var counted = new List<(long Value, object? Route)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == ExitMetrics.TerminationsUnalerted)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => counted.Add((value, tags.ToArray().Single(t => t.Key == ExitMetrics.RouteTag).Value)));
        listener.Start();

        var alert = new CompiledTransform("slack-alert.csx", "/t/slack-alert.csx", new string('0', 64), new TransformImage([], [], "Submission#0", "<Factory>"));
        var response = new ExitResponse(502, null, null, new ResponseHeaders());
        var result = new TransformChainResult(response, [new TransformFailure(alert.Name, alert.FilePath, 0, new InvalidOperationException("busy"), kind)]);
        metrics.Chain("api", [alert], result, TimeSpan.FromMilliseconds(1));

        Assert.Equal(unalerted, counted.Sum(c => c.Value));
        Assert.All(counted, c => Assert.Equal("api", c.Route));
    }
}
