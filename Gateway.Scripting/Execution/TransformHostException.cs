namespace Gateway.Scripting.Execution;

/// <summary>
/// What a transform threw in a transform host, as the host reported it: the exception stays there (its object, its
/// stack and anything it references); its type's name and its message travel.
/// </summary>
/// <param name="errorType">The name of the exception's type in the host, e.g. <c>InvalidOperationException</c>.</param>
/// <param name="message">The exception's message.</param>
public sealed class TransformHostException(string errorType, string message) : Exception(message)
{
    /// <summary>The name of the exception's type in the host, e.g. <c>InvalidOperationException</c>.</summary>
    public string ErrorType { get; } = errorType;
}
