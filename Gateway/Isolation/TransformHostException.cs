namespace Gateway.Isolation;

/// <summary>What a transform threw in its host, as the host reported it: the type's name and the message.</summary>
internal sealed class TransformHostException(string errorType, string message) : Exception(message)
{
    /// <summary>The name of the exception's type in the host, e.g. <c>InvalidOperationException</c>.</summary>
    public string ErrorType { get; } = errorType;
}
