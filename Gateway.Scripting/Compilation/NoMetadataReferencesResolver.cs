using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Gateway.Scripting.Compilation;

/// <summary>Refuses every <c>#r</c>: scripts get the restricted reference set and nothing more.</summary>
internal sealed class NoMetadataReferencesResolver : MetadataReferenceResolver
{
    public static readonly NoMetadataReferencesResolver Instance = new();

    public override ImmutableArray<PortableExecutableReference> ResolveReference(
        string reference, string? baseFilePath, MetadataReferenceProperties properties) => [];

    public override bool Equals(object? other) => other is NoMetadataReferencesResolver;

    public override int GetHashCode() => nameof(NoMetadataReferencesResolver).GetHashCode(StringComparison.Ordinal);
}
