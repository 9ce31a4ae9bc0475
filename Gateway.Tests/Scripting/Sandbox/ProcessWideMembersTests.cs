using Gateway.Scripting.Compilation;
using Gateway.Scripting.Sandbox;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gateway.Tests.Scripting.Sandbox;

/// <summary>
/// Walks every member of every type the allow-list admits and flags those whose names or shapes suggest
/// process-wide state (a static setter, Clear*, Register*, Set*, Reset*, *Cache*...). Each must be refused by the
/// sandbox or reviewed here with a reason, so that a framework update adding such a member fails this test.
/// </summary>
public sealed class ProcessWideMembersTests
{
    // Flagged by name, looked at, and found to touch only the object they are called on (or nothing shared).
    private static readonly Dictionary<string, string> Reviewed = new(StringComparer.Ordinal)
    {
        ["System.Array.Clear"] = "clears the array it is given, which the script holds",
        ["System.Collections.Generic.CollectionExtensions.AddRange"] = "adds to the list it is given, which the script holds",
        ["System.Collections.Generic.CollectionExtensions.Remove"] = "removes from the dictionary it is given, which the script holds",
        ["System.Decimal.Add"] = "arithmetic",
    };

    private static readonly string[] SuspectPrefixes = ["Clear", "Register", "Unregister", "Set", "Reset", "Flush", "Enable", "Disable", "Add", "Remove"];

    [Fact]
    public void AllowedTypes_MembersThatLookProcessWide_AreRefusedOrReviewed()
    {
        var compilation = CSharpCompilation.Create("probe", references: ScriptReferences.Assemblies);
        var policy = new SandboxPolicy();
        var allowed = PublicTypes(compilation.GlobalNamespace).Where(t => policy.Refuse(t) is null).ToList();

        var unreviewed = allowed
            .SelectMany(type => type.GetMembers().Where(m => m.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            .Where(LooksProcessWide)
            .Where(member => SandboxPolicy.RefuseMember(member) is null)
            .Select(Key)
            .Where(key => !Reviewed.ContainsKey(key))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(allowed.Count > 100, $"only {allowed.Count} allowed types found");
        Assert.True(unreviewed.Count == 0, "Refuse these in SandboxPolicy or review them here:" + Environment.NewLine + string.Join(Environment.NewLine, unreviewed));
    }

    [Theory]
    [InlineData("System.Globalization.CultureInfo", "ClearCachedData")]
    [InlineData("System.Globalization.CultureInfo", "DefaultThreadCurrentCulture")]
    [InlineData("System.Text.RegularExpressions.Regex", "CacheSize")]
    [InlineData("System.Text.Encoding", "RegisterProvider")]
    public void LooksProcessWide_KnownMutators_AreFlaggedAndRefused(string type, string name)
    {
        // Guards the walk above against passing because it flags nothing.
        var compilation = CSharpCompilation.Create("probe", references: ScriptReferences.Assemblies);
        var member = Assert.Single(compilation.GetTypeByMetadataName(type)!.GetMembers(name));

        Assert.True(LooksProcessWide(member));
        Assert.NotNull(SandboxPolicy.RefuseMember(member));
    }

    [Fact]
    public void Reviewed_NamesOnlyMembersThatExist()
    {
        var compilation = CSharpCompilation.Create("probe", references: ScriptReferences.Assemblies);
        var keys = PublicTypes(compilation.GlobalNamespace).SelectMany(t => t.GetMembers()).Select(Key).ToHashSet(StringComparer.Ordinal);

        Assert.All(Reviewed.Keys, key => Assert.Contains(key, keys));
    }

    private static bool LooksProcessWide(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.Ordinary } method when method.IsStatic =>
            SuspectPrefixes.Any(p => method.Name.StartsWith(p, StringComparison.Ordinal)) || method.Name.Contains("Cache", StringComparison.Ordinal),
        IMethodSymbol { MethodKind: MethodKind.Ordinary } method =>
            method.Name.Contains("Cache", StringComparison.Ordinal) || method.Name.StartsWith("Register", StringComparison.Ordinal),
        IPropertySymbol { IsStatic: true, SetMethod: { DeclaredAccessibility: Accessibility.Public } } => true,
        IPropertySymbol property => property.Name.Contains("Cache", StringComparison.Ordinal),
        IFieldSymbol { IsStatic: true, IsConst: false, IsReadOnly: false } => true,
        IEventSymbol { IsStatic: true } => true,
        _ => false,
    };

    private static string Key(ISymbol member) =>
        member.ContainingType.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat
            .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
            .WithGenericsOptions(SymbolDisplayGenericsOptions.None)
            .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes)) + "." + member.Name;

    private static IEnumerable<INamedTypeSymbol> PublicTypes(INamespaceSymbol ns)
    {
        foreach (var type in ns.GetTypeMembers().Where(t => t.DeclaredAccessibility == Accessibility.Public))
        {
            yield return type;
            foreach (var nested in type.GetTypeMembers().Where(t => t.DeclaredAccessibility == Accessibility.Public))
            {
                yield return nested;
            }
        }

        foreach (var child in ns.GetNamespaceMembers().SelectMany(PublicTypes))
        {
            yield return child;
        }
    }
}
