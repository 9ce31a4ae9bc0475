using System.ComponentModel;

namespace Gateway.Scripting.Sandbox;

/// <summary>
/// The checks the gateway's compiler weaves into every transform: at each loop iteration, call, <c>goto</c>,
/// <c>catch</c> and <c>finally</c>, and before allocations whose size it can see. Not for use in scripts: the
/// allow-list refuses this type by name, and the woven calls do not shift any line of the script.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ExecutionBudget
{
    [ThreadStatic]
    private static TransformBudget? t_current;

    /// <summary>The budget of the transform running on this thread, if any.</summary>
    public static TransformBudget? Current => t_current;

    /// <summary>Throws <see cref="TransformBudgetExceededException"/> when the current budget is breached.</summary>
    public static void Check() => t_current?.Check();

    /// <summary>Checks the budget on entry to a method, local function, lambda or accessor, and counts its depth.</summary>
    public static void Enter() => t_current?.Enter();

    /// <summary>Counts the return from a method, local function, lambda or accessor.</summary>
    public static void Exit() => t_current?.Exit();

    /// <summary>Checks that <paramref name="count"/> elements of <paramref name="elementSize"/> bytes fit in the memory budget.</summary>
    /// <param name="count">The number of elements about to be allocated.</param>
    /// <param name="elementSize">The approximate size of one element in bytes.</param>
    /// <returns><paramref name="count"/>, unchanged.</returns>
    public static int Reserve(int count, int elementSize)
    {
        t_current?.Reserve(count, elementSize);
        return count;
    }

    /// <summary>Checks that <paramref name="count"/> elements of <paramref name="elementSize"/> bytes fit in the memory budget.</summary>
    /// <param name="count">The number of elements about to be allocated.</param>
    /// <param name="elementSize">The approximate size of one element in bytes.</param>
    /// <returns><paramref name="count"/>, unchanged.</returns>
    public static long Reserve(long count, int elementSize)
    {
        t_current?.Reserve(count, elementSize);
        return count;
    }

    /// <summary>Caps a regular-expression match timeout at the time the transform has left (at least 1 ms).</summary>
    /// <param name="timeout">The timeout the script asked for.</param>
    public static TimeSpan RegexTimeout(TimeSpan timeout)
    {
        if (t_current is not { } budget)
        {
            return timeout;
        }

        var left = budget.Remaining;
        if (left < TimeSpan.FromMilliseconds(1))
        {
            left = TimeSpan.FromMilliseconds(1);
        }

        return timeout == System.Text.RegularExpressions.Regex.InfiniteMatchTimeout || timeout > left ? left : timeout;
    }

    /// <summary>
    /// Whether a script's <c>catch</c> must let <paramref name="exception"/> pass: a budget breach, or anything
    /// thrown while the budget stands breached.
    /// </summary>
    /// <param name="exception">The exception being caught.</param>
    public static bool IsBreach(Exception exception) =>
        exception is TransformBudgetExceededException || (t_current?.IsBreached ?? false);

    /// <summary>Runs <paramref name="run"/> over <paramref name="state"/> with <paramref name="budget"/> as this thread's budget.</summary>
    internal static TResult RunWith<TState, TResult>(TransformBudget budget, TState state, Func<TState, TResult> run)
    {
        var previous = t_current;
        t_current = budget;
        try
        {
            return run(state);
        }
        finally
        {
            t_current = previous;
        }
    }
}
