namespace Gateway.Scripting.Sandbox;

/// <summary>The stable codes of sandbox diagnostics (<c>GW01xx</c>), one per family of refusal.</summary>
public static class SandboxCodes
{
    /// <summary>A type or member that is not on the allow-list.</summary>
    public const string NotAllowed = "GW0100";

    /// <summary>Files and directories (<c>System.IO</c>).</summary>
    public const string FileSystem = "GW0101";

    /// <summary>Sockets, DNS and HTTP clients (<c>System.Net</c>).</summary>
    public const string Network = "GW0102";

    /// <summary>Reflection and anything that hands out <c>Type</c>, <c>Assembly</c> or <c>MethodInfo</c>.</summary>
    public const string Reflection = "GW0103";

    /// <summary>Processes and diagnostics (<c>System.Diagnostics</c>).</summary>
    public const string Process = "GW0104";

    /// <summary>Threads, the thread pool, timers and tasks (<c>System.Threading</c>), and <c>await</c>.</summary>
    public const string Threading = "GW0105";

    /// <summary>The process and runtime: <c>Environment</c>, <c>AppContext</c>, <c>AppDomain</c>, <c>GC</c>, load contexts.</summary>
    public const string Runtime = "GW0106";

    /// <summary>Unsafe code and interop: <c>unsafe</c>, pointers, <c>fixed</c>, <c>stackalloc</c>, <c>extern</c>, <c>__arglist</c>.</summary>
    public const string Unsafe = "GW0107";

    /// <summary><c>dynamic</c>.</summary>
    public const string Dynamic = "GW0108";

    /// <summary>Expression trees (<c>System.Linq.Expressions</c>, <c>IQueryable</c>).</summary>
    public const string ExpressionTrees = "GW0109";

    /// <summary>A type that declares a finalizer.</summary>
    public const string Finalizer = "GW0110";

    /// <summary>A regular expression built or run without a match timeout.</summary>
    public const string RegexTimeout = "GW0111";

    /// <summary>An assembly reference (<c>#r</c>).</summary>
    public const string AssemblyReference = "GW0112";

    /// <summary>A <c>#load</c> of a file outside the transforms folder.</summary>
    public const string LoadOutsideFolder = "GW0113";

    /// <summary>
    /// Static state in a script's types, however it is spelled: static fields (readonly too), and properties or
    /// events the compiler backs with a static field (auto-properties, <c>field</c>). Shared by every request.
    /// </summary>
    public const string StaticState = "GW0114";

    /// <summary><c>JsonSerializer</c> with anything but JSON nodes.</summary>
    public const string JsonSerializer = "GW0115";

    /// <summary>
    /// Reflection by proxy: handing a library something other than plain data (JSON nodes, primitives, strings,
    /// enums, and arrays or collections of them) where it would walk the object's public properties: generic
    /// <c>JsonValue.Create</c>, <c>JsonArray.Add</c>, <c>JsonNode.ReplaceWith</c>, the arguments of <c>Log</c>,
    /// and message templates that destructure (<c>{@X}</c>).
    /// </summary>
    public const string ReflectionByProxy = "GW0116";

    /// <summary>
    /// The process's internals through diagnostics: an exception's stack trace, source or text (build paths), and
    /// hash codes (seeded per process).
    /// </summary>
    public const string Internals = "GW0117";

    /// <summary>A script type deriving from a library class other than <c>object</c> or an exception.</summary>
    public const string LibrarySubclass = "GW0118";

    /// <summary>A <c>#line</c> directive: it would let a script blame another file or line in failure logs.</summary>
    public const string LineDirective = "GW0119";
}
