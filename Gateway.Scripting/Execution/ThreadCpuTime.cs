using System.Runtime.InteropServices;

namespace Gateway.Scripting.Execution;

/// <summary>
/// CPU time consumed by a thread, where the platform tells it (Linux). A wall-time budget cannot tell a script
/// that burned its time from one that was not scheduled on a busy machine; CPU time can. A reading is a system
/// call (about a microsecond), so the watchdog takes them, and only for runs that last.
/// </summary>
internal static partial class ThreadCpuTime
{
    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    // The id of a thread's CPU clock is a fact about the thread that never changes: found once per thread, then
    // read as a field, because every run asks for it. Per thread and never shared, so no instance's state.
    [ThreadStatic]
    private static bool t_clockKnown;

    [ThreadStatic]
    private static int? t_clock;

    /// <summary>The current thread's CPU time, or <see langword="null"/> where it cannot be read.</summary>
    public static TimeSpan? Now() => Read(ClockThreadCpuTime);

    /// <summary>
    /// The clock of the current thread's CPU time, which any thread can read with <see cref="Read"/>; or
    /// <see langword="null"/> where there is none.
    /// </summary>
    public static int? ClockOfCurrentThread()
    {
        if (!t_clockKnown)
        {
            t_clock = FindClockOfCurrentThread();
            t_clockKnown = true;
        }

        return t_clock;
    }

    private static int? FindClockOfCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return GetCpuClockId(PthreadSelf(), out var clock) == 0 ? clock : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null; // an unusual libc: CPU time is unknown, as on other platforms
        }
    }

    /// <summary>Reads <paramref name="clock"/>, or returns <see langword="null"/> where it cannot be read.</summary>
    /// <param name="clock">A clock from <see cref="ClockOfCurrentThread"/>, or the current thread's.</param>
    public static TimeSpan? Read(int clock)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return ClockGetTime(clock, out var time) == 0
                ? TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100))
                : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out Timespec time);

    [DllImport("libc", EntryPoint = "pthread_self")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern nuint PthreadSelf();

    [DllImport("libc", EntryPoint = "pthread_getcpuclockid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetCpuClockId(nuint thread, out int clock);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
