namespace Gateway.Scripting.Execution;

/// <summary>A transform that threw: which one, where in its file, and what.</summary>
/// <param name="Transform">The transform's name.</param>
/// <param name="File">The transform's file.</param>
/// <param name="Line">The line of the script the exception came from, or 0 when the stack does not say.</param>
/// <param name="Exception">What was thrown.</param>
public sealed record TransformFailure(string Transform, string File, int Line, Exception Exception)
{
    /// <summary>Formats the failure as <c>file(line): ExceptionType: message</c>.</summary>
    public override string ToString() => $"{File}({Line}): {Exception.GetType().Name}: {Exception.Message}";
}
