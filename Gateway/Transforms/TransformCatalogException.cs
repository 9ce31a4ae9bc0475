using Gateway.Scripting.Compilation;

namespace Gateway.Transforms;

/// <summary>Bound transforms failed to compile, or bindings name transforms that do not exist: the gateway cannot start.</summary>
internal sealed class TransformCatalogException(IReadOnlyList<TransformDiagnostic> errors)
    : Exception("Transforms failed to load:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<TransformDiagnostic> Errors { get; } = errors;
}
