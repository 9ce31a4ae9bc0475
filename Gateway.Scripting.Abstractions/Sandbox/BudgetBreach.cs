namespace Gateway.Scripting.Sandbox;

/// <summary>Which limit of a transform's execution budget was breached.</summary>
public enum BudgetBreach
{
    /// <summary>The transform ran longer than its wall-time budget.</summary>
    Time,

    /// <summary>The transform allocated more than its memory budget.</summary>
    Memory,

    /// <summary>The transform nested calls deeper than its call-depth budget, or ran short of stack.</summary>
    CallDepth,
}
