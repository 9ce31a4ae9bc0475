using System.Collections.Frozen;
using Microsoft.CodeAnalysis;

namespace Gateway.Scripting.Sandbox;

/// <summary>
/// The allow-list: which types and members a transform may name. What is not allowed is refused. A refusal
/// carries a stable code and a sentence that says what to use instead.
/// </summary>
internal sealed class SandboxPolicy
{
    // Whole namespaces (not their sub-namespaces).
    private static readonly string[] DefaultNamespaces =
    [
        "System.Collections.Generic",
        "System.Globalization",
        "System.Text.Json.Nodes",
        "Gateway.Scripting",
    ];

    // Single types, by full metadata name.
    private static readonly string[] DefaultTypes =
    [
        // System: values, text, maths, time, and the exceptions a script may throw or catch.
        "System.Object", "System.String", "System.Boolean", "System.Char", "System.SByte", "System.Byte",
        "System.Int16", "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64",
        "System.Int128", "System.UInt128", "System.Half", "System.Single", "System.Double", "System.Decimal",
        "System.Void", "System.Nullable", "System.Nullable`1", "System.Math", "System.MathF", "System.MidpointRounding",
        "System.DateTime", "System.DateTimeOffset", "System.DateTimeKind", "System.DateOnly", "System.TimeOnly",
        "System.TimeSpan", "System.DayOfWeek", "System.Guid", "System.Convert", "System.Base64FormattingOptions",
        "System.BitConverter", "System.HashCode", "System.Random", "System.Uri", "System.UriKind", "System.UriComponents",
        "System.UriFormat", "System.UriPartial", "System.UriBuilder", "System.Version", "System.Index", "System.Range",
        "System.StringComparison", "System.StringComparer", "System.StringSplitOptions", "System.CharEnumerator",
        "System.FormattableString", "System.IFormatProvider", "System.IFormattable", "System.ISpanFormattable",
        "System.IComparable", "System.IComparable`1", "System.IEquatable`1", "System.IDisposable",
        "System.Array", "System.Span`1", "System.ReadOnlySpan`1", "System.MemoryExtensions", "System.Enum",
        "System.Tuple", "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5",
        "System.Tuple`6", "System.Tuple`7", "System.Tuple`8", "System.ValueTuple", "System.ValueTuple`1",
        "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5",
        "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.Func`1", "System.Func`2", "System.Func`3", "System.Func`4", "System.Func`5", "System.Func`6",
        "System.Func`7", "System.Func`8", "System.Func`9", "System.Action", "System.Action`1", "System.Action`2",
        "System.Action`3", "System.Action`4", "System.Action`5", "System.Action`6", "System.Action`7", "System.Action`8",
        "System.Predicate`1", "System.Comparison`1", "System.Converter`2",
        "System.Exception", "System.ArgumentException", "System.ArgumentNullException",
        "System.ArgumentOutOfRangeException", "System.InvalidOperationException", "System.FormatException",
        "System.NotSupportedException", "System.NotImplementedException", "System.OverflowException",
        "System.IndexOutOfRangeException", "System.NullReferenceException", "System.KeyNotFoundException",
        "System.DivideByZeroException", "System.InvalidCastException", "System.ObsoleteAttribute",
        "System.FlagsAttribute",

        // LINQ to objects (not IQueryable, not PLINQ).
        "System.Linq.Enumerable", "System.Linq.IGrouping`2", "System.Linq.ILookup`2", "System.Linq.Lookup`2",
        "System.Linq.IOrderedEnumerable`1",

        // Text.
        "System.Text.StringBuilder", "System.Text.Encoding", "System.Text.UTF8Encoding", "System.Text.Rune",
        "System.Text.NormalizationForm", "System.Text.CompositeFormat",

        // JSON: the node types above, and the options and values they take.
        "System.Text.Json.JsonSerializer", "System.Text.Json.JsonSerializerOptions", "System.Text.Json.JsonSerializerDefaults",
        "System.Text.Json.JsonValueKind", "System.Text.Json.JsonDocumentOptions", "System.Text.Json.JsonCommentHandling",
        "System.Text.Json.JsonNamingPolicy", "System.Text.Json.JsonElement", "System.Text.Json.JsonProperty",
        "System.Text.Json.JsonDocument", "System.Text.Json.JsonException",

        // Regular expressions, by type: not the namespace's engine plumbing (RegexRunner, RegexRunnerFactory,
        // RegexCompilationInfo), whose protected state would reach past the match timeout.
        "System.Text.RegularExpressions.Regex", "System.Text.RegularExpressions.RegexOptions",
        "System.Text.RegularExpressions.Match", "System.Text.RegularExpressions.MatchCollection",
        "System.Text.RegularExpressions.Group", "System.Text.RegularExpressions.GroupCollection",
        "System.Text.RegularExpressions.Capture", "System.Text.RegularExpressions.CaptureCollection",
        "System.Text.RegularExpressions.ValueMatch", "System.Text.RegularExpressions.MatchEvaluator",
        "System.Text.RegularExpressions.RegexMatchTimeoutException", "System.Text.RegularExpressions.RegexParseException",
        "System.Text.RegularExpressions.RegexParseError",

        // HTTP vocabulary without the network.
        "System.Net.HttpStatusCode", "System.Net.WebUtility",

        // The script's Log.
        "Microsoft.Extensions.Logging.ILogger", "Microsoft.Extensions.Logging.LoggerExtensions",
        "Microsoft.Extensions.Logging.LogLevel", "Microsoft.Extensions.Logging.EventId",
    ];

    // Members of allowed types that are refused all the same, by "Namespace.Type.Member".
    private static readonly FrozenDictionary<string, (string Code, string Advice)> RefusedMembers =
        new Dictionary<string, (string, string)>
        {
            ["System.Object.GetType"] = (SandboxCodes.Reflection, "reflection is not available to transforms; use 'is' or pattern matching to test a type"),
            ["System.String.Intern"] = (SandboxCodes.Runtime, "the intern pool is shared by the whole process"),
            ["System.String.IsInterned"] = (SandboxCodes.Runtime, "the intern pool is shared by the whole process"),
            ["System.Exception.TargetSite"] = (SandboxCodes.Reflection, "reflection is not available to transforms"),
            ["System.Exception.StackTrace"] = (SandboxCodes.Internals, InternalsAdvice),
            ["System.Exception.Source"] = (SandboxCodes.Internals, InternalsAdvice),
            ["System.HashCode.Add"] = (SandboxCodes.Internals, HashCodeAdvice),
            ["System.HashCode.AddBytes"] = (SandboxCodes.Internals, HashCodeAdvice),
            ["System.HashCode.Combine"] = (SandboxCodes.Internals, HashCodeAdvice),
            ["System.HashCode.ToHashCode"] = (SandboxCodes.Internals, HashCodeAdvice),
            ["System.Globalization.CultureInfo.ClearCachedData"] = (SandboxCodes.Runtime, "it clears caches shared by the whole process (cultures, time zones)"),
            ["System.Exception.Data"] = (SandboxCodes.NotAllowed, "use the exception's Message"),
            ["System.Globalization.CultureInfo.CurrentCulture"] = (SandboxCodes.Runtime, "the thread's culture is shared with other requests; pass CultureInfo.InvariantCulture or a culture you create"),
            ["System.Globalization.CultureInfo.CurrentUICulture"] = (SandboxCodes.Runtime, "the thread's culture is shared with other requests; pass a culture explicitly"),
            ["System.Globalization.CultureInfo.DefaultThreadCurrentCulture"] = (SandboxCodes.Runtime, "process-wide culture settings are out of reach"),
            ["System.Globalization.CultureInfo.DefaultThreadCurrentUICulture"] = (SandboxCodes.Runtime, "process-wide culture settings are out of reach"),
            ["System.Globalization.NumberFormatInfo.CurrentInfo"] = (SandboxCodes.Runtime, "the thread's culture is shared with other requests; use NumberFormatInfo.InvariantInfo or a culture you create"),
            ["System.Globalization.DateTimeFormatInfo.CurrentInfo"] = (SandboxCodes.Runtime, "the thread's culture is shared with other requests; use DateTimeFormatInfo.InvariantInfo or a culture you create"),
            ["System.Text.Encoding.RegisterProvider"] = (SandboxCodes.Runtime, "encoding providers are process-wide"),
            ["System.Text.RegularExpressions.Regex.CacheSize"] = (SandboxCodes.Runtime, "the regular-expression cache is process-wide"),
            ["System.Text.RegularExpressions.Regex.CompileToAssembly"] = (SandboxCodes.Reflection, "scripts cannot emit assemblies"),
            ["System.Random.Shared"] = (SandboxCodes.Runtime, "use new Random() or Guid.NewGuid()"),
            ["System.Enum.GetValues"] = (SandboxCodes.Reflection, "use the generic Enum.GetValues<T>()"),
            ["Microsoft.Extensions.Logging.ILogger.BeginScope"] = (SandboxCodes.NotAllowed, "log properties through the message template"),
            ["Microsoft.Extensions.Logging.LoggerExtensions.BeginScope"] = (SandboxCodes.NotAllowed, "log properties through the message template"),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Why an exception's stack trace, source and text are refused.</summary>
    public const string InternalsAdvice = "an exception's stack trace, source and text name the gateway's build folders and internal methods; use the exception's Message";

    /// <summary>Why hash codes are refused.</summary>
    public const string HashCodeAdvice = "hash codes of strings (and of anything holding one) are seeded per process, a secret that helps flood the gateway's tables; compare values, or key a Dictionary or HashSet by them";

    /// <summary>What a library may be handed where it would reflect over it.</summary>
    public const string PlainDataAdvice = "pass JSON nodes, primitives, strings, enums, or arrays and collections of them; build a JsonObject to describe anything else";

    // Library members that reflect over (serialise or destructure) what they are given, by "Namespace.Type.Member",
    // or "Namespace.Type.*" for every member: their type arguments and object-typed arguments must be plain data.
    private static readonly FrozenSet<string> ReflectingMembers = new[]
    {
        "System.Text.Json.Nodes.JsonValue.Create",
        "System.Text.Json.Nodes.JsonArray.Add",
        "System.Text.Json.Nodes.JsonNode.ReplaceWith",
        "Microsoft.Extensions.Logging.ILogger.Log",
        "Microsoft.Extensions.Logging.LoggerExtensions.*",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Values a serializer writes as a value, and a logger as a scalar, by full metadata name (besides primitives,
    // strings, enums and Nullable<T> of them).
    private static readonly FrozenSet<string> PlainValues = new[]
    {
        "System.DateTimeOffset", "System.DateOnly", "System.TimeOnly", "System.TimeSpan", "System.Guid", "System.Half",
        "System.Int128", "System.UInt128", "System.Uri", "System.Version",
        "System.Text.Json.Nodes.JsonNode", "System.Text.Json.Nodes.JsonObject", "System.Text.Json.Nodes.JsonArray",
        "System.Text.Json.Nodes.JsonValue", "System.Text.Json.JsonElement",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Collections a serializer writes by enumerating them (never by their properties): plain when their elements are.
    private static readonly FrozenSet<string> PlainCollections = new[]
    {
        "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.IReadOnlyCollection`1",
        "System.Collections.Generic.IReadOnlyList`1", "System.Collections.Generic.ICollection`1",
        "System.Collections.Generic.IList`1", "System.Collections.Generic.List`1", "System.Collections.Generic.ISet`1",
        "System.Collections.Generic.IReadOnlySet`1", "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.IDictionary`2", "System.Collections.Generic.IReadOnlyDictionary`2",
        "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.SortedDictionary`2",
        "System.Collections.Generic.KeyValuePair`2",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly FrozenSet<string> _namespaces;
    private readonly FrozenSet<string> _types;

    public SandboxPolicy(SandboxOptions? options = null)
    {
        _namespaces = DefaultNamespaces.Concat(options?.AllowedNamespaces ?? []).ToFrozenSet(StringComparer.Ordinal);
        _types = DefaultTypes.Concat(options?.AllowedTypes ?? []).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Why <paramref name="type"/> (its definition, not its type arguments) is refused, or null.</summary>
    public Refusal? Refuse(INamedTypeSymbol type)
    {
        // Nested types (List<T>.Enumerator, StringBuilder.AppendInterpolatedStringHandler) follow the type they are in.
        var outer = type.OriginalDefinition;
        while (outer.ContainingType is not null)
        {
            outer = outer.ContainingType;
        }

        var ns = outer.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        var name = ns.Length == 0 ? outer.MetadataName : ns + "." + outer.MetadataName;

        // The gateway's own sandbox plumbing sits in a sub-namespace of Gateway.Scripting, and is refused with it.
        if (_types.Contains(name) || _namespaces.Contains(ns))
        {
            return null;
        }

        return new Refusal(FamilyCode(ns, outer.Name), $"'{type.ToDisplayString()}' is not available to transforms: {Advice(ns, outer.Name)}");
    }

    /// <summary>Why <paramref name="member"/> of an allowed type is refused, or null.</summary>
    public static Refusal? RefuseMember(ISymbol member)
    {
        var type = member.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return null;
        }

        var key = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted).WithGenericsOptions(SymbolDisplayGenericsOptions.None).RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes))
            + "." + member.Name;
        return RefusedMembers.TryGetValue(key, out var refused)
            ? new Refusal(refused.Code, $"'{member.ToDisplayString()}' is not available to transforms: {refused.Advice}")
            : null;
    }

    /// <summary>Whether <paramref name="member"/> reflects over what it is handed (see <see cref="SandboxCodes.ReflectionByProxy"/>).</summary>
    public static bool ReflectsOverArguments(ISymbol member)
    {
        if (member.ContainingType?.OriginalDefinition is not { } type)
        {
            return false;
        }

        var name = MetadataNameOf(type);
        return ReflectingMembers.Contains(name + "." + member.Name) || ReflectingMembers.Contains(name + ".*");
    }

    /// <summary>
    /// Whether a library that reflects over a value of <paramref name="type"/> sees nothing but data: JSON nodes,
    /// primitives, strings, enums, dates and the like, and arrays or collections of them. A type parameter, <c>object</c>,
    /// an interface other than a collection's, and any other class (the globals, the script's own types) are not.
    /// </summary>
    public static bool IsPlainData(ITypeSymbol? type) => type switch
    {
        null => true, // the null literal
        IArrayTypeSymbol array => IsPlainData(array.ElementType),
        INamedTypeSymbol { TypeKind: TypeKind.Enum } => true,
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => IsPlainData(nullable.TypeArguments[0]),
        INamedTypeSymbol { SpecialType: >= SpecialType.System_Boolean and <= SpecialType.System_String } => true,
        INamedTypeSymbol { SpecialType: SpecialType.System_DateTime } => true,
        INamedTypeSymbol named when PlainValues.Contains(MetadataNameOf(named)) => true,
        INamedTypeSymbol named when PlainCollections.Contains(MetadataNameOf(named.OriginalDefinition)) => named.TypeArguments.All(IsPlainData),
        _ => false,
    };

    /// <summary>
    /// Why a script type may not derive from the library class <paramref name="baseType"/>, or null: only
    /// <c>object</c> and exceptions are allowed, on purpose. Any other class would hand the script its protected
    /// state (a <c>Regex</c> subclass can overwrite its match timeout) and its virtual members.
    /// </summary>
    public static Refusal? RefuseBaseClass(INamedTypeSymbol baseType)
    {
        if (baseType.SpecialType == SpecialType.System_Object || IsException(baseType))
        {
            return null;
        }

        return new Refusal(SandboxCodes.LibrarySubclass,
            $"a transform's types cannot derive from '{baseType.ToDisplayString()}': a library class's protected members are out of reach; derive from nothing (or from an exception), hold an instance instead, or implement an interface such as IComparer<T> or IEqualityComparer<T>");
    }

    /// <summary>Whether <paramref name="type"/> is <see cref="System.Exception"/> or derives from it.</summary>
    public static bool IsException(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.SpecialType == SpecialType.None && current.ContainingNamespace?.ToDisplayString() == "System" && current.MetadataName == "Exception")
            {
                return true;
            }
        }

        return false;
    }

    private static string MetadataNameOf(INamedTypeSymbol type)
    {
        var outer = type;
        var name = type.MetadataName;
        while (outer.ContainingType is not null)
        {
            outer = outer.ContainingType;
            name = outer.MetadataName + "." + name;
        }

        var ns = outer.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return ns.Length == 0 || outer.ContainingNamespace!.IsGlobalNamespace ? name : ns + "." + name;
    }

    private static string FamilyCode(string ns, string type) => (ns, type) switch
    {
        _ when Within(ns, "System.IO") => SandboxCodes.FileSystem,
        _ when Within(ns, "System.Net") => SandboxCodes.Network,
        _ when Within(ns, "System.Reflection") || (ns == "System" && type is "Type" or "Activator" or "Delegate" or "MulticastDelegate" or "RuntimeTypeHandle" or "TypedReference") => SandboxCodes.Reflection,
        _ when Within(ns, "System.Diagnostics") => SandboxCodes.Process,
        _ when Within(ns, "System.Threading") => SandboxCodes.Threading,
        _ when Within(ns, "System.Runtime.InteropServices") || (ns == "System.Runtime.CompilerServices" && type == "Unsafe") || (ns == "System" && type is "IntPtr" or "UIntPtr") => SandboxCodes.Unsafe,
        _ when Within(ns, "System.Linq.Expressions") || (ns == "System.Linq" && type.Contains("Queryable", StringComparison.Ordinal)) => SandboxCodes.ExpressionTrees,
        _ when Within(ns, "System.Runtime") || (ns == "System" && type is "Environment" or "AppContext" or "AppDomain" or "GC" or "Console") => SandboxCodes.Runtime,
        _ => SandboxCodes.NotAllowed,
    };

    private static string Advice(string ns, string type) => FamilyCode(ns, type) switch
    {
        _ when ns == "Gateway.Scripting.Editing" => "it is for editors only; in a transform, use the globals by name (Status, Headers, Webhooks...)",
        SandboxCodes.FileSystem => "scripts cannot touch files",
        SandboxCodes.Network => "use Webhooks.Send to notify; scripts cannot open sockets or make HTTP calls",
        SandboxCodes.Reflection => "reflection is not available to transforms",
        SandboxCodes.Process => "use Log to write diagnostics; processes are out of reach",
        SandboxCodes.Threading => "transforms run synchronously within a time budget: no threads, timers, tasks or waiting",
        SandboxCodes.Unsafe => "unsafe code and interop are not available to transforms",
        SandboxCodes.ExpressionTrees => "use LINQ to objects (System.Linq.Enumerable) with delegates",
        SandboxCodes.Runtime => "the process, its environment (where secrets live) and the runtime are out of reach",
        _ => "it is not on the allow-list (README: \"The sandbox\" says how a deployment widens it)",
    };

    private static bool Within(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);
}

/// <summary>A refused symbol: the diagnostic code and the message.</summary>
internal sealed record Refusal(string Code, string Message);
