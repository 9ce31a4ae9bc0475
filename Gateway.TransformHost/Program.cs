using Gateway.Scripting.Execution;
using Gateway.Scripting.Isolation;
using Gateway.TransformHost;

// A transform host: started by the gateway with its progress file and slot count, it reads frames on standard
// input and writes replies on standard output until the gateway closes its input. Nothing else may write to
// standard output: the console is pointed at standard error, which the gateway reads for crash reports.
// Started with "compile" first, it is the gateway's compiler process instead (CompileServer).
if (args is ["compile", .. var compileArgs])
{
    return await CompileServer.RunAsync(compileArgs);
}

if (args is not [var progressPath, var slotText] || !int.TryParse(slotText, out var slots))
{
    await Console.Error.WriteLineAsync("usage: Gateway.TransformHost <progress-file> <slots> (started by the gateway, not by hand)");
    return 2;
}

var output = Console.OpenStandardOutput();
Console.SetOut(Console.Error);
using var progress = ProgressSlots.Open(progressPath, slots);
await using var channel = new HostChannel(Console.OpenStandardInput(), output, writeInline: true);
using var execution = new ScriptExecution();
var server = new HostServer(channel, progress, execution);
await server.RunAsync();
return 0;
