using System.Collections.Frozen;
using Gateway.Scripting;
using Gateway.Transforms;

namespace Gateway.Tests.Transforms;

public sealed class TransformCatalogTests
{
    private static readonly CompiledTransform Alert = Named("alert.csx");
    private static readonly CompiledTransform Problem = Named("problem.csx");

    private static readonly TransformCatalog Catalog = new(
        new Dictionary<string, CompiledTransform> { [Alert.Name] = Alert, [Problem.Name] = Problem }.ToFrozenDictionary(),
        new BoundChain([Alert], new TerminationFilter(TerminationSources.All, Parse("500-599"))),
        new Dictionary<string, BoundChain>
        {
            ["api"] = new([Problem], new TerminationFilter(TerminationSources.All, StatusFilter.Default)),
            ["legacy"] = new([Problem], new TerminationFilter(TerminationSources.Gateway, StatusFilter.Default)),
            ["bare"] = new([], TerminationFilter.Default),
        }.ToFrozenDictionary());

    [Theory]
    [InlineData("api", 503, "Upstream", "alert.csx,problem.csx")]
    [InlineData("API", 503, "Gateway", "alert.csx,problem.csx")]
    [InlineData("api", 404, "Upstream", "problem.csx")]
    [InlineData("api", 302, "Upstream", "")]
    [InlineData("legacy", 404, "Upstream", "")]
    [InlineData("legacy", 404, "Gateway", "problem.csx")]
    [InlineData("legacy", 502, "Upstream", "alert.csx")]
    [InlineData("bare", 502, "Upstream", "alert.csx")]
    [InlineData("unbound", 502, "Gateway", "alert.csx")]
    [InlineData(null, 404, "Gateway", "")]
    [InlineData(null, 500, "Gateway", "alert.csx")]
    public void ChainFor_RunsEachBindingWhoseFilterMatches_GlobalFirst(string? route, int status, string from, string expected)
    {
        var source = Enum.Parse<TerminationSources>(from);

        var chain = Catalog.ChainFor(route, status, source);

        Assert.Equal(expected, string.Join(",", chain.Select(t => t.Name)));
        Assert.Equal(chain.Count > 0, Catalog.HasChainFor(route, status, source));
    }

    [Fact]
    public void Empty_HasNoChain()
    {
        Assert.Empty(TransformCatalog.Empty.ChainFor("api", 500, TerminationSources.Upstream));
        Assert.False(TransformCatalog.Empty.HasChainFor("api", 500, TerminationSources.Upstream));
    }

    private static StatusFilter Parse(string text) =>
        StatusFilter.TryParse(text, out var filter, out var error) ? filter : throw new InvalidOperationException(error);

    private static CompiledTransform Named(string name) =>
        new(name, "/transforms/" + name, new string('0', 64), new TransformImage([], [], "Submission#0", "<Factory>"));
}
