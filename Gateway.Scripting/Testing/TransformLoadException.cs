using Gateway.Scripting.Compilation;

namespace Gateway.Scripting.Testing;

/// <summary>
/// Thrown by <see cref="TransformLoader"/> when a transform does not compile under the gateway's rules. The message
/// lists every diagnostic as <c>file(line,col): error CODE: message</c>, as the gateway logs them.
/// </summary>
public sealed class TransformLoadException : Exception
{
    /// <summary>Creates the exception with no diagnostics.</summary>
    public TransformLoadException()
        : this("The transform does not compile.")
    {
    }

    /// <summary>Creates the exception with a message and no diagnostics.</summary>
    /// <param name="message">What went wrong.</param>
    public TransformLoadException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates the exception with a message, a cause and no diagnostics.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TransformLoadException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Diagnostics = [];
    }

    /// <summary>Creates the exception for a compilation that failed.</summary>
    /// <param name="compilation">The failed compilation.</param>
    public TransformLoadException(TransformCompilation compilation)
        : base(Describe(compilation))
    {
        Diagnostics = compilation.Diagnostics;
    }

    /// <summary>Every error and warning the compiler reported, in source order.</summary>
    public IReadOnlyList<TransformDiagnostic> Diagnostics { get; }

    private static string Describe(TransformCompilation compilation)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        return $"{compilation.Name} does not compile:{Environment.NewLine}"
            + string.Join(Environment.NewLine, compilation.Diagnostics);
    }
}
