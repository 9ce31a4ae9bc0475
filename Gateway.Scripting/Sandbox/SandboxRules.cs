using System.Collections.Frozen;
using Microsoft.CodeAnalysis;

namespace Gateway.Scripting.Sandbox;

/// <summary>
/// The sandbox's special members, declared once and resolved to symbols once per compilation: the
/// <see cref="SandboxAnalyzer"/> and the <see cref="BudgetRewriter"/> both read them, and compare what a script
/// names with <see cref="SymbolEqualityComparer"/>, never by printed name. A new rule is one entry here plus its
/// test; an entry that does not resolve fails the compilation, so a typo cannot switch a rule off.
/// </summary>
internal sealed class SandboxRules
{
    private const string Constructor = WellKnownMemberNames.InstanceConstructorName;

    // Members that allocate as much as one of their arguments says, and what one unit of it costs, by
    // (type's metadata name, member, the parameter that is the size): the rewriter charges that argument to the
    // memory budget before the call. The parameter picks the overloads: StringBuilder.Append(string, int
    // startIndex, int count) copies at most the string it is given, and is not charged.
    private static readonly AllocationSize[] AllocationSizes =
    [
        new("System.String", Constructor, "count", ElementBytes.Char),
        new("System.String", "PadLeft", "totalWidth", ElementBytes.Char),
        new("System.String", "PadRight", "totalWidth", ElementBytes.Char),
        new("System.Text.StringBuilder", Constructor, "capacity", ElementBytes.Char),
        new("System.Text.StringBuilder", "Append", "repeatCount", ElementBytes.Char),
        new("System.Text.StringBuilder", "Insert", "count", ElementBytes.Char),
        new("System.Text.StringBuilder", "EnsureCapacity", "capacity", ElementBytes.Char),
        new("System.Array", "Resize", "newSize", ElementBytes.TypeArgument),
        new("System.Linq.Enumerable", "Repeat", "count", ElementBytes.TypeArgument),
        new("System.Linq.Enumerable", "Range", "count", ElementBytes.Int32),
        .. Collection("System.Collections.Generic.List`1"),
        .. Collection("System.Collections.Generic.HashSet`1"),
        .. Collection("System.Collections.Generic.Dictionary`2"),
        .. Collection("System.Collections.Generic.OrderedDictionary`2"),
        .. Collection("System.Collections.Generic.Queue`1"),
        .. Collection("System.Collections.Generic.Stack`1"),
        new("System.Collections.Generic.SortedList`2", Constructor, "capacity", ElementBytes.Reference),
        new("System.Collections.Generic.PriorityQueue`2", Constructor, "initialCapacity", ElementBytes.Reference),
        new("System.Collections.Generic.PriorityQueue`2", "EnsureCapacity", "capacity", ElementBytes.Reference),
    ];

    // The type whose constructors and static methods match without end unless given a timeout (a TimeSpan), but
    // for these, which match nothing: the analyser asks for the timeout, the rewriter caps it.
    private const string MatchTimeoutType = "System.Text.RegularExpressions.Regex";
    private static readonly string[] WithoutMatching = ["Escape", "Unescape"];

    // The serializer, allowed for JSON nodes only: these type arguments, and no Type or object parameter.
    private const string SerializerType = "System.Text.Json.JsonSerializer";
    private static readonly string[] JsonNodeTypes =
    [
        "System.Text.Json.Nodes.JsonNode", "System.Text.Json.Nodes.JsonObject", "System.Text.Json.Nodes.JsonArray",
        "System.Text.Json.Nodes.JsonValue", "System.Text.Json.JsonElement",
    ];

    // Types whose generic methods write their type arguments as text (string.Join<T>, StringBuilder.AppendJoin<T>,
    // Convert.ToString<T>...): an exception among them would be written with its stack trace.
    private static readonly string[] TextWriters = ["System.String", "System.Text.StringBuilder", "System.Convert"];

    private readonly FrozenDictionary<IMethodSymbol, (int Ordinal, ElementBytes Bytes)> _allocations;
    private readonly INamedTypeSymbol _regex;
    private readonly INamedTypeSymbol _timeSpan;
    private readonly INamedTypeSymbol _serializer;
    private readonly INamedTypeSymbol _type;
    private readonly FrozenSet<ITypeSymbol> _jsonNodes;
    private readonly FrozenSet<ITypeSymbol> _textWriters;

    /// <summary>Resolves every rule against <paramref name="compilation"/>'s references.</summary>
    /// <exception cref="InvalidOperationException">An entry names a type, member or parameter that is not there.</exception>
    public SandboxRules(Microsoft.CodeAnalysis.Compilation compilation)
    {
        var allocations = new Dictionary<IMethodSymbol, (int, ElementBytes)>(SymbolEqualityComparer.Default);
        foreach (var entry in AllocationSizes)
        {
            var found = false;
            foreach (var method in TypeNamed(compilation, entry.Type).GetMembers(entry.Member).OfType<IMethodSymbol>())
            {
                if (method.Parameters.FirstOrDefault(p => p.Name == entry.Parameter) is { } size)
                {
                    allocations.Add(method, (size.Ordinal, entry.Bytes));
                    found = true;
                }
            }

            if (!found)
            {
                throw new InvalidOperationException($"The allocation rule {entry} names no member of the compilation's references.");
            }
        }

        _allocations = allocations.ToFrozenDictionary(SymbolEqualityComparer.Default);
        _regex = TypeNamed(compilation, MatchTimeoutType);
        _timeSpan = TypeNamed(compilation, "System.TimeSpan");
        _serializer = TypeNamed(compilation, SerializerType);
        _type = TypeNamed(compilation, "System.Type");
        _jsonNodes = JsonNodeTypes.Select(name => (ITypeSymbol)TypeNamed(compilation, name)).ToFrozenSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        _textWriters = TextWriters.Select(name => (ITypeSymbol)TypeNamed(compilation, name)).ToFrozenSet<ITypeSymbol>(SymbolEqualityComparer.Default);
    }

    /// <summary>
    /// The bytes one unit of <paramref name="argument"/> costs when it is the size of what <paramref name="method"/>
    /// allocates, or null when it is not such a size.
    /// </summary>
    public int? AllocationUnit(IMethodSymbol method, IParameterSymbol argument)
    {
        if (!_allocations.TryGetValue(method.OriginalDefinition, out var size) || size.Ordinal != argument.Ordinal)
        {
            return null;
        }

        return size.Bytes switch
        {
            ElementBytes.TypeArgument => SizeOf(method.TypeArguments[0]),
            var bytes => (int)bytes,
        };
    }

    /// <summary>Whether <paramref name="method"/> matches a regular expression and has no timeout parameter to bound it.</summary>
    public bool LacksMatchTimeout(IMethodSymbol method)
    {
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, _regex))
        {
            return false;
        }

        var matches = method.MethodKind == MethodKind.Constructor || (method.IsStatic && !WithoutMatching.Contains(method.Name));
        return matches && !method.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, _timeSpan));
    }

    /// <summary>Whether <paramref name="parameter"/> of <paramref name="method"/> is a regular expression's match timeout.</summary>
    public bool IsMatchTimeout(IMethodSymbol method, IParameterSymbol parameter) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, _regex) && SymbolEqualityComparer.Default.Equals(parameter.Type, _timeSpan);

    /// <summary>Whether <paramref name="method"/> is the JSON serializer used on anything but JSON nodes.</summary>
    public bool SerializesBeyondJsonNodes(IMethodSymbol method)
    {
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, _serializer))
        {
            return false;
        }

        var jsonOnly = method.TypeArguments.All(IsJsonNode)
            && method.Parameters.All(p => p.Type.SpecialType != SpecialType.System_Object && !SymbolEqualityComparer.Default.Equals(p.Type, _type));
        return !jsonOnly || method.TypeArguments.Length == 0;
    }

    /// <summary>Whether <paramref name="method"/> belongs to a type whose generic methods write their type arguments as text.</summary>
    public bool WritesAsText(IMethodSymbol method) => method.ContainingType is { } type && _textWriters.Contains(type);

    /// <summary>The bytes a value of <paramref name="type"/> takes in an array.</summary>
    public static int SizeOf(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte => 1,
        SpecialType.System_Char or SpecialType.System_Int16 or SpecialType.System_UInt16 => 2,
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 4,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 8,
        SpecialType.System_Decimal => 16,
        _ => type.IsValueType ? 16 : 8,
    };

    // JsonNode? is JsonNode with an annotation, JsonElement? a Nullable<JsonElement>: either stands for its node.
    private bool IsJsonNode(ITypeSymbol type) => _jsonNodes.Contains(type switch
    {
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable => nullable.TypeArguments[0],
        _ => type.WithNullableAnnotation(NullableAnnotation.NotAnnotated),
    });

    private static INamedTypeSymbol TypeNamed(Microsoft.CodeAnalysis.Compilation compilation, string metadataName) =>
        compilation.GetTypeByMetadataName(metadataName)
            ?? throw new InvalidOperationException($"The sandbox rule's type '{metadataName}' is not among the compilation's references, or is there twice.");

    private static AllocationSize[] Collection(string type) =>
        [new(type, Constructor, "capacity", ElementBytes.Reference), new(type, "EnsureCapacity", "capacity", ElementBytes.Reference)];

    /// <summary>What one unit of an allocation's size costs, in bytes.</summary>
    private enum ElementBytes
    {
        /// <summary>As much as the method's one type argument (<see cref="SizeOf"/>).</summary>
        TypeArgument = 0,

        /// <summary>A UTF-16 character.</summary>
        Char = 2,

        /// <summary>An <c>int</c>.</summary>
        Int32 = 4,

        /// <summary>A reference, or a slot of a collection.</summary>
        Reference = 8,
    }

    private sealed record AllocationSize(string Type, string Member, string Parameter, ElementBytes Bytes);
}
