namespace Gateway.Scripting.Sandbox;

/// <summary>
/// Thrown into a transform that breached its execution budget. The gateway rewrites every <c>catch</c> in a
/// script so that it cannot catch this exception, nor any other while the budget stands breached.
/// </summary>
public sealed class TransformBudgetExceededException : Exception
{
    /// <summary>Creates the exception for <paramref name="breach"/>.</summary>
    /// <param name="breach">Which limit was breached.</param>
    /// <param name="message">What happened, with the figures.</param>
    public TransformBudgetExceededException(BudgetBreach breach, string message)
        : base(message)
    {
        Breach = breach;
    }

    /// <summary>Which limit was breached.</summary>
    public BudgetBreach Breach { get; }
}
