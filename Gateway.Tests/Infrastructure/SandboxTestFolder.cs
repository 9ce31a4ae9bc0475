using Gateway.Scripting.Compilation;

namespace Gateway.Tests.Infrastructure;

/// <summary>A transforms folder of its own, and the gateway's compiler bound to it.</summary>
public sealed class SandboxTestFolder : IDisposable
{
    private readonly TempFolder _folder = new("gateway-sandbox-");

    public SandboxTestFolder() => Compiler = new TransformCompiler(Path);

    public string Path => _folder.Path;

    public TransformCompiler Compiler { get; }

    public TransformCompilation Compile(string name, string source)
    {
        var file = _folder.Combine(name);
        File.WriteAllText(file, source);
        return Compiler.CompileFile(file);
    }

    public void Dispose() => _folder.Dispose();
}
