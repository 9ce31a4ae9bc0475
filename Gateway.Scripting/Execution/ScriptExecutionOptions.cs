namespace Gateway.Scripting.Execution;

/// <summary>
/// How a process runs transforms, apart from each run's budget (<see cref="TransformBudgetOptions"/>): how often
/// the watchdog looks at the runs in hand, and how many dedicated threads run the transforms once stuck in a
/// library call. One set per <see cref="ScriptExecution"/>.
/// </summary>
public sealed class ScriptExecutionOptions
{
    /// <summary>How often the watchdog looks at the runs in hand; deadlines are kept to within it. Default 5 ms.</summary>
    public TimeSpan WatchInterval { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// How many dedicated threads run the transforms once stuck in a library call, started when first needed.
    /// Default twice the processor count, at least 4.
    /// </summary>
    public int DedicatedThreads { get; set; } = Math.Max(4, Environment.ProcessorCount * 2);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (WatchInterval <= TimeSpan.Zero || DedicatedThreads <= 0)
        {
            throw new ArgumentException("Script execution needs a positive WatchInterval and at least one of DedicatedThreads.");
        }
    }
}
