namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Tests of the execution budget: they burn CPU on purpose and measure time, so they run on their own, after
/// the parallel tests, neither slowing the others nor slowed by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BudgetGroup
{
    public const string Name = "Execution budget";
}
