namespace Gateway.Isolation;

/// <summary>The transform-host pool: <c>Gateway:Transforms:Hosts</c>. Read when the pool starts.</summary>
internal sealed class TransformHostOptions
{
    /// <summary>
    /// Hosts serving calls at once, besides one warm spare. Default: half the processors, at least one (at most 64). A host runs its
    /// calls one after another on the thread that read them, so each keeps about one core busy at most, and the
    /// gateway's own threads need the rest; fewer hosts also means larger bursts per host, hence fewer system calls
    /// (2 cores: one host gave 94–99 µs of CPU per seed 401 against 107–123 for two, and 3–40% more req/s).
    /// </summary>
    public int Count { get; set; } = Math.Clamp(Environment.ProcessorCount / 2, 1, 64);

    /// <summary>Each host's managed-heap cap in megabytes (<c>DOTNET_GCHeapHardLimit</c>). Default 256.</summary>
    public int MemoryLimitMegabytes { get; set; } = 256;

    /// <summary>
    /// How long past its reply deadline a host may keep a call before it is killed and replaced. Default one second.
    /// </summary>
    public TimeSpan KillDeadline { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// What a call may take beyond its transforms' budgets (<c>WallTime + Grace</c> each) before the gateway answers
    /// without it: the round trip and the host's own work. Default 250 ms.
    /// </summary>
    public TimeSpan ReplyMargin { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a stopping gateway waits for its hosts to finish before it kills them. Default 5 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Calls one host may have in flight; past it a call goes to another host. Default 1024.</summary>
    public int MaxCallsPerHost { get; set; } = 1024;

    /// <summary>The problems with these settings, each naming its key; empty when they are valid.</summary>
    /// <param name="section">The configuration section they were read from.</param>
    public IEnumerable<string> Validate(string section)
    {
        if (Count is < 1 or > 64)
        {
            yield return $"{section}:{nameof(Count)} must be within 1-64 (it is {Count}).";
        }

        if (MemoryLimitMegabytes is < 32 or > 65536)
        {
            yield return $"{section}:{nameof(MemoryLimitMegabytes)} must be within 32-65536 (it is {MemoryLimitMegabytes}).";
        }

        if (KillDeadline <= TimeSpan.Zero || ReplyMargin <= TimeSpan.Zero || ShutdownTimeout <= TimeSpan.Zero)
        {
            yield return $"{section}:{nameof(KillDeadline)}, {nameof(ReplyMargin)} and {nameof(ShutdownTimeout)} must be positive.";
        }

        if (MaxCallsPerHost is < 1 or > 65536)
        {
            yield return $"{section}:{nameof(MaxCallsPerHost)} must be within 1-65536 (it is {MaxCallsPerHost}).";
        }
    }
}
