using Gateway.Scripting;
using Gateway.Scripting.Compilation;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>Compiles the repository's sample transforms with the gateway's own compiler and rules.</summary>
internal static class SampleTransforms
{
    /// <summary>Compiles <c>Transforms/<paramref name="name"/></c>; throws with the diagnostics when it does not compile.</summary>
    public static CompiledTransform Load(string name) =>
        Unwrap(new TransformCompiler(RepositoryPaths.Transforms).CompileFile(Path.Combine(RepositoryPaths.Transforms, name)));

    /// <summary>Compiles <paramref name="source"/> as a transform named <paramref name="name"/>.</summary>
    public static CompiledTransform FromSource(string name, string source) =>
        Unwrap(new TransformCompiler(RepositoryPaths.Transforms).Compile(Path.Combine(RepositoryPaths.Transforms, name), source));

    private static CompiledTransform Unwrap(TransformCompilation compilation) =>
        compilation.Transform ?? throw new InvalidOperationException(
            $"{compilation.Name} does not compile:{Environment.NewLine}{string.Join(Environment.NewLine, compilation.Errors)}");
}
