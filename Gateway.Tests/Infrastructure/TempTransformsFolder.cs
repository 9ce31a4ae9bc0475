using Gateway.Scripting;
using Gateway.Scripting.Compilation;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A throw-away transforms folder for one test: <c>{temp}/{random}/transforms</c>, with a compiler bound to it.
/// Its parent (<see cref="Root"/>) is outside the folder, for files a script must not reach. Deleted on dispose.
/// </summary>
internal sealed class TempTransformsFolder : IDisposable
{
    private readonly TempFolder _root = new("gateway-tests-");

    public TempTransformsFolder()
    {
        Folder = _root.Combine("transforms");
        Directory.CreateDirectory(Folder);
        Compiler = new TransformCompiler(Folder);
    }

    /// <summary>The temporary directory holding <see cref="Folder"/>; files here are outside the transforms folder.</summary>
    public string Root => _root.Path;

    /// <summary>The transforms folder the <see cref="Compiler"/> is bound to.</summary>
    public string Folder { get; }

    public TransformCompiler Compiler { get; }

    /// <summary>Writes <paramref name="source"/> to <paramref name="relativePath"/> inside the folder and returns its full path.</summary>
    public string Write(string relativePath, string source)
    {
        var path = Path.Combine(Folder, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, source);
        return path;
    }

    /// <summary>Writes a file next to the transforms folder, outside it, and returns its full path.</summary>
    public string WriteOutside(string fileName, string content)
    {
        var path = _root.Combine(fileName);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Writes the script into the folder and compiles it from its file.</summary>
    public TransformCompilation Compile(string relativePath, string source) =>
        Compiler.CompileFile(Write(relativePath, source));

    /// <summary>Writes and compiles the script, failing the test with its diagnostics when it does not compile.</summary>
    public CompiledTransform CompileTransform(string relativePath, string source)
    {
        var compilation = Compile(relativePath, source);
        Assert.True(compilation.Succeeded, string.Join(Environment.NewLine, compilation.Diagnostics));
        return compilation.Transform!;
    }

    public void Dispose() => _root.Dispose();
}
