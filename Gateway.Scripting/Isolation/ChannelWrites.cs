namespace Gateway.Scripting.Isolation;

/// <summary>How a <see cref="HostChannel"/> writes its frames.</summary>
public enum ChannelWrites
{
    /// <summary>
    /// On the sending thread, waiting while the other side's buffer is full: for a side whose peer always reads
    /// (a transform host's replies, read by the gateway on a thread of its own; the compiler's replies).
    /// </summary>
    Blocking,

    /// <summary>
    /// On the sending thread while the stream completes writes at once (a socket with room in its buffer), otherwise
    /// on the thread pool: a sender never waits on the other side. For the gateway's calls, sent from request threads.
    /// </summary>
    NonBlocking,
}
