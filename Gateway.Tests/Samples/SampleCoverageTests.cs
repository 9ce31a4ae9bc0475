using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Samples;

/// <summary>Every transform in <c>Transforms/</c> has a test class here, named after its file.</summary>
public sealed class SampleCoverageTests
{
    [Theory]
    [MemberData(nameof(SampleTransforms.Names), MemberType = typeof(SampleTransforms))]
    public void SampleTransform_HasATestClass(string fileName)
    {
        if (MissingTestClass(fileName) is { } missing)
        {
            Assert.Fail(missing);
        }
    }

    [Fact]
    public void MissingTestClass_NewTransform_SaysWhatToAdd()
    {
        Assert.Equal(
            "Transforms/my-thing.csx has no test class. Add Gateway.Tests/Samples/MyThingTransformTests.cs with "
            + "'public sealed class MyThingTransformTests' in namespace Gateway.Tests.Samples, loading the file with "
            + "TransformLoader.Load(TransformFiles.Find(\"Transforms/my-thing.csx\")) (README, \"Testing your transforms\", shows one).",
            MissingTestClass("my-thing.csx"));
    }

    [Fact]
    public void MissingTestClass_Seed_IsNull()
    {
        Assert.Null(MissingTestClass("arr.csx"));
    }

    // What a user who added a transform to Transforms/ still has to add, in plain words; null when nothing is missing.
    private static string? MissingTestClass(string fileName)
    {
        var pascal = string.Concat(Path.GetFileNameWithoutExtension(fileName).Split('-', '_', '.').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
        var className = $"{pascal}TransformTests";
        var ns = typeof(SampleCoverageTests).Namespace;
        return typeof(SampleCoverageTests).Assembly.GetType($"{ns}.{className}") is not null
            ? null
            : $"Transforms/{fileName} has no test class. Add Gateway.Tests/Samples/{className}.cs with "
                + $"'public sealed class {className}' in namespace {ns}, loading the file with "
                + $"TransformLoader.Load(TransformFiles.Find(\"Transforms/{fileName}\")) (README, \"Testing your transforms\", shows one).";
    }
}
