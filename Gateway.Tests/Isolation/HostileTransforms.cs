namespace Gateway.Tests.Isolation;

/// <summary>
/// Transforms that an in-process runner cannot survive or stop, each a plausible mistake or a deliberate attack:
/// they compile under the sandbox, and only a process boundary contains what they do.
/// </summary>
internal static class HostileTransforms
{
    /// <summary>Self-referencing records: their compiler-generated Equals recurses until the stack overflows.</summary>
    public const string StackOverflowInGeneratedCode = """
        record Loop { public object Next { get; set; } = ""; }
        var one = new Loop();
        var other = new Loop();
        one.Next = one;
        other.Next = other;
        Headers["x-same"] = (one == other).ToString();
        """;

    /// <summary>A class whose field initializer creates another instance of itself.</summary>
    public const string StackOverflowInFieldInitializer = """
        class Node { public Node Child = new Node(); }
        Headers["x-node"] = new Node().ToString();
        """;

    /// <summary>Straight-line library calls whose memory no woven check sees: a gigabyte in four statements.</summary>
    public const string MemoryBetweenChecks = """
        var s = new string('x', 1 << 20);
        s = s.Replace("x", "xxxxxxxx");
        s = s.Replace("x", "xxxxxxxx");
        s = s.Replace("x", "xxxxxxxx");
        s = s.Replace("x", "xxxxxxxx");
        Headers["x-length"] = s.Length.ToString();
        """;

    /// <summary>
    /// One library call that runs for days: a cross product of a billion pairs, counted. The selectors are library
    /// methods, so no script code (and no woven check) runs inside it.
    /// </summary>
    public const string LibraryCallThatNeverReturns = """
        var e = Enumerable.Range(1, 1000).ToList();
        var n = e.Join<int, int, int, int>(e, Math.Sign, Math.Sign, Math.Max)
            .Join<int, int, int, int>(e, Math.Sign, Math.Sign, Math.Max)
            .Join<int, int, int, int>(e, Math.Sign, Math.Sign, Math.Max)
            .LongCount();
        Headers["x-count"] = n.ToString();
        """;

    /// <summary>An exception whose Message spins: the runner reads it after the run, where no budget applies.</summary>
    public const string CallbackAfterTheRun = """
        class Sneaky : Exception
        {
            public override string Message { get { var i = 0L; while (true) { i++; } } }
        }
        throw new Sneaky();
        """;

    /// <summary>A flood of log entries and alerts from one run: more than a host's reply carries.</summary>
    public const string Chatty = """
        for (var i = 0; i < 5000; i++)
        {
            Log.LogWarning("line {Line}", i);
            Webhooks.Send($"alert {i}");
        }
        """;

    /// <summary>Marks the response: a well-behaved transform beside the hostile ones.</summary>
    public const string Marker = """
        Headers["x-marker"] = "ran";
        """;
}
