using System.IO.MemoryMappedFiles;

namespace Gateway.Scripting.Isolation;

/// <summary>
/// A small file both the gateway and a transform host map into memory: one 32-bit slot per call in flight, into
/// which the host writes the index (plus one) of the transform it is about to start, and its negation once it
/// returns. A memory write costs the host
/// nothing per transform, and the gateway can still read it after the host died, to charge the crash to the
/// transform that was running.
/// </summary>
public sealed class ProgressSlots : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;

    private ProgressSlots(MemoryMappedFile file, int count)
    {
        _file = file;
        _view = file.CreateViewAccessor(0, count * sizeof(int));
        Count = count;
    }

    /// <summary>The number of slots.</summary>
    public int Count { get; }

    /// <summary>Creates the file at <paramref name="path"/> with <paramref name="count"/> slots (the gateway's side).</summary>
    /// <param name="path">A file in a folder only this user can reach.</param>
    /// <param name="count">How many calls may be in flight at once.</param>
    public static ProgressSlots Create(string path, int count)
    {
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            stream.SetLength(count * sizeof(int));
        }

        return Open(path, count);
    }

    /// <summary>Maps the existing file at <paramref name="path"/> (the host's side).</summary>
    /// <param name="path">The file the gateway created.</param>
    /// <param name="count">Its number of slots.</param>
    public static ProgressSlots Open(string path, int count) =>
        new(MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, count * sizeof(int), MemoryMappedFileAccess.ReadWrite), count);

    /// <summary>
    /// Records that the call in <paramref name="slot"/> is starting the transform at <paramref name="index"/>, unless an
    /// earlier transform of the call started and never finished (the watchdog gave it up and the chain went on): that
    /// one stays the suspect, since it may still be running.
    /// </summary>
    /// <param name="slot">The call's slot.</param>
    /// <param name="index">The transform's index in the chain.</param>
    public void Starting(int slot, int index)
    {
        if ((uint)slot < (uint)Count && _view.ReadInt32(slot * sizeof(int)) <= 0)
        {
            _view.Write(slot * sizeof(int), index + 1);
        }
    }

    /// <summary>Records that the transform at <paramref name="index"/> returned, in time, in the call in <paramref name="slot"/>.</summary>
    /// <param name="slot">The call's slot.</param>
    /// <param name="index">The transform's index in the chain.</param>
    public void Finished(int slot, int index)
    {
        if ((uint)slot < (uint)Count && _view.ReadInt32(slot * sizeof(int)) == index + 1)
        {
            _view.Write(slot * sizeof(int), -(index + 1));
        }
    }

    /// <summary>
    /// The index of the transform to blame in the call in <paramref name="slot"/>: the one running (or given up while
    /// running), else the last that finished (the host's work after it, such as reading what it left, ran its code);
    /// -1 when none started.
    /// </summary>
    /// <param name="slot">The call's slot.</param>
    public int Running(int slot)
    {
        if ((uint)slot >= (uint)Count)
        {
            return -1;
        }

        var value = _view.ReadInt32(slot * sizeof(int));
        return value > 0 ? value - 1 : value < 0 ? -value - 1 : -1;
    }

    /// <summary>Clears <paramref name="slot"/> for the next call.</summary>
    /// <param name="slot">The slot.</param>
    public void Clear(int slot)
    {
        if ((uint)slot < (uint)Count)
        {
            _view.Write(slot * sizeof(int), 0);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
    }
}
