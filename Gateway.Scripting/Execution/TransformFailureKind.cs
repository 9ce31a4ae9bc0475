namespace Gateway.Scripting.Execution;

/// <summary>How a transform failed.</summary>
public enum TransformFailureKind
{
    /// <summary>The script threw (or set something the gateway refused, such as a CR/LF header).</summary>
    Exception,

    /// <summary>The script breached its time, memory or call-depth budget and was stopped.</summary>
    Budget,

    /// <summary>The script was stuck inside a library call past its budget: the response went out without it, and the call was left to finish off the request path.</summary>
    Runaway,

    /// <summary>The script was skipped: it breached its budget too often and is quarantined until its file changes.</summary>
    Quarantined,

    /// <summary>The transform host died while running it (a stack overflow, its memory cap, a kill): counts as a breach.</summary>
    Crashed,

    /// <summary>
    /// The transform did not run: no thread or transform host could take it in time (the machine or the hosts were
    /// saturated). Whatever it would have done, the termination's alert among it, did not happen.
    /// </summary>
    NotRun,
}
