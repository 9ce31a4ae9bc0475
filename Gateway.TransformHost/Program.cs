using System.Net.Sockets;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Isolation;
using Gateway.TransformHost;

// A transform host: started by the gateway with its progress file, its slot count and the Unix domain socket to
// connect to, it reads calls from that socket and writes replies on standard output until the gateway closes the
// socket. Nothing else may write to standard output: the console is pointed at standard error, which the gateway
// reads for crash reports. Started with "compile" first, it is the gateway's compiler process instead (CompileServer).
if (args is ["compile", .. var compileArgs])
{
    return await CompileServer.RunAsync(compileArgs);
}

if (args is not [var progressPath, var slotText, var socketPath] || !int.TryParse(slotText, out var slots))
{
    await Console.Error.WriteLineAsync("usage: Gateway.TransformHost <progress-file> <slots> <socket> (started by the gateway, not by hand)");
    return 2;
}

var output = Console.OpenStandardOutput();
Console.SetOut(Console.Error);
using var progress = ProgressSlots.Open(progressPath, slots);

// A blocking socket, read on one thread: a call wakes that thread and nothing else.
var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
try
{
    socket.Connect(new UnixDomainSocketEndPoint(socketPath));
}
catch (SocketException e)
{
    await Console.Error.WriteLineAsync($"transform host: cannot connect to the gateway at {socketPath}: {e.Message}");
    socket.Dispose();
    return 3;
}

await using var channel = new HostChannel(new NetworkStream(socket, ownsSocket: true), output, ChannelWrites.Blocking);
using var execution = new ScriptExecution();
var server = new HostServer(channel, progress, execution);
await server.RunAsync();
return 0;
