using Gateway.Scripting.Compilation;
using Gateway.Scripting.Isolation;
using Gateway.Scripting.Sandbox;

namespace Gateway.TransformHost;

/// <summary>
/// The compile mode (<c>Gateway.TransformHost compile &lt;transforms-folder&gt; [--allow-namespace N] [--allow-type T]</c>):
/// the gateway's compiler process. It reads <see cref="CompileFrame"/>s on standard input, compiles each with the
/// gateway's <see cref="TransformCompiler"/> (several at once, as the gateway's catalog asks for them) and answers each
/// with a <see cref="CompiledFrame"/>, until the gateway closes its input. It reads the sources it is sent and, for
/// <c>#load</c>, only files inside the transforms folder; it holds no configuration and no secret.
/// </summary>
internal static class CompileServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not [var folder, .. var rest] || !TryReadSandbox(rest, out var sandbox))
        {
            await Console.Error.WriteLineAsync("usage: Gateway.TransformHost compile <transforms-folder> [--allow-namespace N]... [--allow-type T]... (started by the gateway)");
            return 2;
        }

        var output = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        var compiler = new TransformCompiler(folder, sandbox);
        await using var channel = new HostChannel(Console.OpenStandardInput(), output, ChannelWrites.Blocking);
        var running = new List<Task>();
        while (await channel.ReadAsync() is { Frame: CompileFrame request })
        {
            running.RemoveAll(task => task.IsCompleted);
            running.Add(Task.Run(() =>
            {
                TransformCompilation compilation;
                try
                {
                    compilation = compiler.Compile(request.Path, request.Source);
                }
                catch (Exception e)
                {
                    // A compiler bug must not leave the gateway waiting for its deadline: it gets the error at once.
                    var error = new TransformDiagnostic(request.Path, 1, 1, "error", "GW0999", $"The compiler failed on this transform (please report it): {e.GetType().Name}: {e.Message}");
                    compilation = new TransformCompilation(compiler.NameOf(request.Path), request.Path, null, [error]);
                }

                channel.Send(HostFrameKind.Compiled, CompiledFrame.From(request.Id, compilation));
            }));
        }

        await Task.WhenAll(running);
        return 0;
    }

    private static bool TryReadSandbox(string[] args, out SandboxOptions sandbox)
    {
        sandbox = new SandboxOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--allow-namespace":
                    sandbox.AllowedNamespaces.Add(args[i + 1]);
                    break;
                case "--allow-type":
                    sandbox.AllowedTypes.Add(args[i + 1]);
                    break;
                default:
                    return false;
            }
        }

        return args.Length % 2 == 0;
    }
}
