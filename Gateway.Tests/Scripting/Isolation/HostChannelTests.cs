using System.Net.Sockets;
using Gateway.Scripting.Isolation;

namespace Gateway.Tests.Scripting.Isolation;

public sealed class HostChannelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hostchannel-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_frame_left_for_later_goes_out_before_the_reader_waits_for_the_rest_of_a_large_frame()
    {
        // The channel under test reads `calls` and writes to `replies`; the test plays the other side.
        var (calls, callsPeer) = SocketPair("calls");
        var (replies, repliesPeer) = SocketPair("replies");
        await using var channel = new HostChannel(calls, replies, ChannelWrites.Blocking);
        await using var peer = new HostChannel(repliesPeer, output: null, ChannelWrites.Blocking);

        // A small frame and the start of a frame larger than the read buffer (a Load frame's image), in one write:
        // the reading thread takes the small one while more is buffered, so what it sends is left for later.
        var small = Encode(new UnloadFrame("small"));
        var large = Encode(new UnloadFrame(new string('x', 200_000)));
        callsPeer.Write([.. small, .. large.AsSpan(0, 1000)]);

        var started = new TaskCompletionSource();
        var reader = new Thread(() =>
        {
            Assert.Equal("small", ((UnloadFrame)channel.Read()!.Value.Frame).Key);
            channel.Send(HostFrameKind.Unload, new UnloadFrame("reply"));
            started.SetResult();
            channel.Read(); // blocks for the rest of the large frame, which comes only after the reply
        });
        reader.Start();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var reply = Task.Run(() => peer.Read());
        var arrived = await Task.WhenAny(reply, Task.Delay(TimeSpan.FromSeconds(10))) == reply;
        callsPeer.Write(large.AsSpan(1000));
        reader.Join();
        Assert.True(arrived, "the reply waited for the rest of the large frame");
        var frame = await reply;
        Assert.Equal("reply", ((UnloadFrame)frame!.Value.Frame).Key);
    }

    private static byte[] Encode(object frame)
    {
        using var bytes = new MemoryStream();
        var writer = new HostChannel(Stream.Null, bytes, ChannelWrites.Blocking);
        Assert.True(writer.Send(HostFrameKind.Unload, frame));
        return bytes.ToArray();
    }

    // Two connected ends of a Unix domain socket.
    private (NetworkStream Near, NetworkStream Far) SocketPair(string name)
    {
        var path = Path.Combine(_folder, name + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var far = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        far.Connect(new UnixDomainSocketEndPoint(path));
        var near = listener.Accept();
        return (new NetworkStream(near, ownsSocket: true), new NetworkStream(far, ownsSocket: true));
    }
}
