using Gateway.Tests.Scripting;

namespace Gateway.Tests.Samples;

/// <summary>Every transform in <c>Transforms/</c> has a test class here, named after its file.</summary>
public sealed class SampleCoverageTests
{
    [Theory]
    [MemberData(nameof(SampleTransforms.Names), MemberType = typeof(SampleTransforms))]
    public void SampleTransform_HasATestClass(string fileName)
    {
        var pascal = string.Concat(Path.GetFileNameWithoutExtension(fileName).Split('-', '_', '.').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
        var testClass = $"{typeof(SampleCoverageTests).Namespace}.{pascal}TransformTests";

        Assert.NotNull(typeof(SampleCoverageTests).Assembly.GetType(testClass));
    }
}
