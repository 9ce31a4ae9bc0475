using Gateway.Scripting.Compilation;

namespace Gateway.Tests.Infrastructure;

/// <summary>A transforms folder of its own, and the gateway's compiler bound to it.</summary>
public sealed class SandboxTestFolder : IDisposable
{
    public SandboxTestFolder()
    {
        Path = Directory.CreateTempSubdirectory("gateway-sandbox-").FullName;
        Compiler = new TransformCompiler(Path);
    }

    public string Path { get; }

    public TransformCompiler Compiler { get; }

    public TransformCompilation Compile(string name, string source)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, source);
        return Compiler.CompileFile(file);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
