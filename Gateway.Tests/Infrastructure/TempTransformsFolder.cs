using Gateway.Scripting;
using Gateway.Scripting.Compilation;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A throw-away transforms folder for one test: <c>{temp}/{guid}/transforms</c>, with a compiler bound to it.
/// Its parent (<see cref="Root"/>) is outside the folder, for files a script must not reach. Deleted on dispose.
/// </summary>
internal sealed class TempTransformsFolder : IDisposable
{
    public TempTransformsFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "gateway-tests-" + Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(Root, "transforms");
        Directory.CreateDirectory(Folder);
        Compiler = new TransformCompiler(Folder);
    }

    /// <summary>The temporary directory holding <see cref="Folder"/>; files here are outside the transforms folder.</summary>
    public string Root { get; }

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
        var path = Path.Combine(Root, fileName);
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

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail the test that used it.
        }
    }
}
