namespace Gateway.Scripting.Execution;

/// <summary>A transform that failed: which one, where in its file, how, and what was thrown.</summary>
/// <param name="Transform">The transform's name.</param>
/// <param name="File">The transform's file.</param>
/// <param name="Line">The line of the script the failure came from, or 0 when the stack does not say.</param>
/// <param name="Exception">What was thrown.</param>
/// <param name="Kind">How it failed.</param>
public sealed record TransformFailure(string Transform, string File, int Line, Exception Exception, TransformFailureKind Kind = TransformFailureKind.Exception)
{
    /// <summary>Formats the failure as <c>file(line): ExceptionType: message</c>.</summary>
    public override string ToString() => $"{File}({Line}): {ErrorType}: {Exception.Message}";

    /// <summary>
    /// The name of the exception's type, e.g. <c>InvalidOperationException</c>, whether it was thrown here or in a
    /// transform host.
    /// </summary>
    public string ErrorType => Exception is TransformHostException remote ? remote.ErrorType : Exception.GetType().Name;
}
