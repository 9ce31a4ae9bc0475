using System.Collections.Concurrent;
using System.Text;
using Gateway.Scripting.Compilation;

namespace Gateway.Scripting.Testing;

/// <summary>
/// Loads a <c>.csx</c> transform from its file for a unit test, with the gateway's own <see cref="TransformCompiler"/>:
/// the same references, imports, sandbox and budget weaving. No server is involved.
/// </summary>
/// <remarks>
/// <code>
/// var arr = TransformLoader.Load("Transforms/arr.csx");
/// var result = await arr.RunAsync(Termination.Gateway(401, "No API key found in request"));
/// Assert.Equal("some value", result.Headers["x-some-header"]);
/// </code>
/// A file is compiled once per content: loading it again in the next test reuses the compiled transform, so only the
/// first test pays for the compiler. Files that <c>#load</c> others, or loads with a widened sandbox, are compiled each time.
/// </remarks>
public static class TransformLoader
{
    private static readonly ConcurrentDictionary<(string Folder, string Path, string Source), TransformCompilation> Compiled = new();

    /// <summary>Compiles the transform at <paramref name="path"/>, or throws with its diagnostics.</summary>
    /// <param name="path">The <c>.csx</c> file, absolute or relative to the current directory.</param>
    /// <param name="options">Where the transforms folder is, the sandbox and the run budget; <see langword="null"/> for the defaults.</param>
    /// <returns>The transform, ready to run any number of times.</returns>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="TransformLoadException">The transform does not compile; the message lists the diagnostics.</exception>
    public static LoadedTransform Load(string path, TransformLoaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new TransformLoaderOptions();
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"The transform {fullPath} does not exist.", fullPath);
        }

        var folder = Path.GetFullPath(options.TransformsFolder ?? Path.GetDirectoryName(fullPath)!);
        var source = File.ReadAllText(fullPath, Encoding.UTF8);
        var compilation = options.Sandbox is null && !source.Contains("#load", StringComparison.Ordinal)
            ? Compiled.GetOrAdd((folder, fullPath, source), key => Compile(key.Folder, key.Path, key.Source, null))
            : Compile(folder, fullPath, source, options);

        if (compilation.Transform is not { } transform)
        {
            throw new TransformLoadException(compilation);
        }

        return new LoadedTransform(transform, compilation.Diagnostics, options.Budget, options.LoggerFactory);
    }

    private static TransformCompilation Compile(string folder, string path, string source, TransformLoaderOptions? options) =>
        new TransformCompiler(folder, options?.Sandbox).Compile(path, source);
}
