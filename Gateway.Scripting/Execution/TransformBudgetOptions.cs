namespace Gateway.Scripting.Execution;

/// <summary>The execution budget of each run of a transform, and when a transform that keeps breaching it is quarantined.</summary>
public sealed class TransformBudgetOptions
{
    /// <summary>Wall time one run may take. Default 20 ms.</summary>
    public TimeSpan WallTime { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Bytes one run may allocate. Default 16 MB.</summary>
    public long MaxAllocatedBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How deep the script's own methods, local functions and lambdas may nest. Default 64.</summary>
    public int MaxCallDepth { get; set; } = 64;

    /// <summary>
    /// How long past <see cref="WallTime"/> the response waits for a run stuck inside one library call, where
    /// the woven checks cannot see it. Past it, the response goes out without that transform. Default 100 ms.
    /// </summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Breaches within <see cref="QuarantineWindow"/> that quarantine a transform (skipped until its file changes). Default 5.</summary>
    public int QuarantineAfter { get; set; } = 5;

    /// <summary>The window in which <see cref="QuarantineAfter"/> breaches count. Default one minute.</summary>
    public TimeSpan QuarantineWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (WallTime <= TimeSpan.Zero || MaxAllocatedBytes <= 0 || MaxCallDepth <= 0 || Grace < TimeSpan.Zero
            || QuarantineAfter <= 0 || QuarantineWindow <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                "Transform budgets must be positive: WallTime, MaxAllocatedBytes, MaxCallDepth, QuarantineAfter and QuarantineWindow above zero, Grace not negative.");
        }
    }
}
