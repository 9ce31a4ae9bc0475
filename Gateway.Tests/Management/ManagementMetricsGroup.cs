namespace Gateway.Tests.Management;

/// <summary>
/// Tests that count exactly what <c>/metrics</c> shows: they run on their own, after the parallel tests, so that no other
/// gateway in the test process records into a meter of the same name meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ManagementMetricsGroup
{
    public const string Name = "Management metrics";
}
