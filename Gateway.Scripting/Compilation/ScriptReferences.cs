using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace Gateway.Scripting.Compilation;

/// <summary>
/// The restricted reference set scripts compile against, and the namespaces they import by default.
/// Only the assemblies the script API needs are referenced: everything else in the process is out of reach
/// by name. (This is not a sandbox on its own: <c>System.Private.CoreLib</c> still holds <c>System.IO</c>.)
/// </summary>
internal static class ScriptReferences
{
    /// <summary>The namespaces every script imports.</summary>
    public static readonly ImmutableArray<string> Imports =
    [
        "System",
        "System.Collections.Generic",
        "System.Linq",
        "System.Text",
        "System.Text.Json.Nodes",
        "System.Text.RegularExpressions",
        "Gateway.Scripting",
        "Microsoft.Extensions.Logging",
    ];

    /// <summary>The assemblies scripts are compiled against.</summary>
    public static readonly ImmutableArray<MetadataReference> Assemblies = Load();

    /// <summary>
    /// The whole shared framework, used only to check a script against the allow-list: a script that names
    /// System.Net.Http or System.Diagnostics.Process then gets the sandbox's refusal with its code and advice,
    /// rather than a bare "type not found". The emitted assembly is compiled against <see cref="Assemblies"/>.
    /// </summary>
    public static readonly ImmutableArray<MetadataReference> AnalysisAssemblies = LoadAnalysis();

    private static ImmutableArray<MetadataReference> LoadAnalysis()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var restricted = Assemblies.OfType<PortableExecutableReference>().Select(r => Path.GetFileName(r.FilePath)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var framework = Directory.EnumerateFiles(runtime, "*.dll")
            .Where(path => Path.GetFileName(path) is var name
                && (name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll")
                && !restricted.Contains(name)
                && !name.Contains("Native", StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        return [.. Assemblies, .. framework];
    }

    private static ImmutableArray<MetadataReference> Load()
    {
        Assembly[] assemblies =
        [
            typeof(object).Assembly,                       // System.Private.CoreLib: primitives, string, collections
            Assembly.Load("System.Runtime"),               // the facade other assemblies reference core types through
            Assembly.Load("System.Collections"),           // HashSet, Queue, Stack, SortedDictionary...
            typeof(Enumerable).Assembly,                   // System.Linq
            typeof(Regex).Assembly,                        // System.Text.RegularExpressions
            typeof(JsonNode).Assembly,                     // System.Text.Json (JsonNode and friends)
            typeof(Uri).Assembly,                          // System.Private.Uri
            typeof(System.Net.HttpStatusCode).Assembly,    // System.Net.Primitives: HttpStatusCode
            typeof(System.Net.WebUtility).Assembly,        // WebUtility
            typeof(ILogger).Assembly,                      // Microsoft.Extensions.Logging.Abstractions
            typeof(ExitContext).Assembly,                  // the script API
        ];

        return [.. assemblies.Distinct().Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location))];
    }
}
