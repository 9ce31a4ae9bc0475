using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Gateway.Scripting.Sandbox;

/// <summary>
/// The limits of one run of one transform, measured on the thread that runs it: wall time, bytes allocated
/// and call depth. Once breached, it stays breached: every later check throws again.
/// </summary>
public sealed class TransformBudget
{
    private readonly long _deadline;
    private readonly long _allocatedAtStart;
    private readonly long _maxAllocatedBytes;
    private readonly int _maxCallDepth;
    private readonly TimeSpan _wallTime;
    private int _depth;
    private TransformBudgetExceededException? _breach;

    /// <summary>Starts a budget now, on the current thread.</summary>
    /// <param name="wallTime">How long the run may take.</param>
    /// <param name="maxAllocatedBytes">How many bytes the run may allocate on its thread.</param>
    /// <param name="maxCallDepth">How deep the script's own methods, local functions and lambdas may nest.</param>
    public TransformBudget(TimeSpan wallTime, long maxAllocatedBytes, int maxCallDepth)
    {
        _wallTime = wallTime;
        _deadline = Stopwatch.GetTimestamp() + (long)(wallTime.TotalSeconds * Stopwatch.Frequency);
        _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        _maxAllocatedBytes = maxAllocatedBytes;
        _maxCallDepth = maxCallDepth;
    }

    /// <summary>The breach, once one happened.</summary>
    public TransformBudgetExceededException? Breach => _breach;

    /// <summary>Time left before the deadline; zero once it has passed.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var left = _deadline - Stopwatch.GetTimestamp();
            return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / Stopwatch.Frequency);
        }
    }

    /// <summary>How many checks the run has passed through: a script spinning in its own loops passes many.</summary>
    public long Checks { get; private set; }

    internal void Check()
    {
        Checks++;
        if (_breach is not null)
        {
            throw Rethrown();
        }

        if (Stopwatch.GetTimestamp() > _deadline)
        {
            throw Breached(BudgetBreach.Time, $"The transform ran past its time budget of {_wallTime.TotalMilliseconds:0.#} ms.");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;
        if (allocated > _maxAllocatedBytes)
        {
            throw Breached(BudgetBreach.Memory, $"The transform allocated {allocated:N0} bytes, over its budget of {_maxAllocatedBytes:N0}.");
        }

        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Breached(BudgetBreach.CallDepth, "The transform ran short of stack.");
        }
    }

    internal void Enter()
    {
        Check();
        if (++_depth > _maxCallDepth)
        {
            throw Breached(BudgetBreach.CallDepth, $"The transform nested calls deeper than its budget of {_maxCallDepth}.");
        }
    }

    internal void Exit() => _depth--;

    internal void Reserve(long elements, int elementSize)
    {
        Check();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;
        if (elements > 0 && elements * elementSize > _maxAllocatedBytes - allocated)
        {
            throw Breached(BudgetBreach.Memory, $"The transform asked for {elements:N0} elements of {elementSize} bytes, over its memory budget of {_maxAllocatedBytes:N0} bytes.");
        }
    }

    internal bool IsBreached => _breach is not null;

    private TransformBudgetExceededException Breached(BudgetBreach breach, string message) =>
        _breach = new TransformBudgetExceededException(breach, message);

    private TransformBudgetExceededException Rethrown() => new(_breach!.Breach, _breach.Message);
}
