namespace Gateway.Scripting.Compilation;

/// <summary>
/// What compiles transforms for a gateway: <see cref="TransformCompiler"/> in this process (the <c>check</c> and
/// <c>try</c> commands, the testing API), or a compiler process that the gateway starts when it needs one, so that
/// the serving gateway never loads Roslyn.
/// </summary>
public interface ITransformCompiler
{
    /// <summary>The full path of the transforms folder: <c>#load</c> may reach only files inside it.</summary>
    string TransformsFolder { get; }

    /// <summary>Compiles <paramref name="source"/> as if it were the content of <paramref name="path"/>.</summary>
    /// <param name="path">The file the source belongs to: diagnostics and stack traces name it.</param>
    /// <param name="source">The script's text.</param>
    /// <param name="cancellationToken">Stops a compilation that is no longer wanted.</param>
    /// <returns>The compiled transform, or the diagnostics that stopped it (a compiler that failed is one of them).</returns>
    Task<TransformCompilation> CompileAsync(string path, string source, CancellationToken cancellationToken = default);
}
