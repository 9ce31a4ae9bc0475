using Gateway.Transforms;

namespace Gateway.Tests.Transforms;

public sealed class TerminationFilterTests
{
    private const string Key = "Gateway:Transforms:Routes:api";

    [Fact]
    public void From_NothingSet_IsTheDefault()
    {
        var errors = new List<string>();

        var filter = TerminationFilter.From(new TransformBinding(), Key, errors);

        Assert.Empty(errors);
        Assert.Same(TerminationFilter.Default, filter);
        Assert.True(filter.Matches(404, TerminationSources.Gateway));
        Assert.True(filter.Matches(503, TerminationSources.Upstream));
        Assert.False(filter.Matches(302, TerminationSources.Upstream));
    }

    [Theory]
    [InlineData("Gateway", "Gateway")]
    [InlineData("upstream", "Upstream")]
    [InlineData("All", "All")]
    [InlineData("Gateway, Upstream", "All")]
    public void From_Sources_Parses(string text, string expected)
    {
        var errors = new List<string>();

        var filter = TerminationFilter.From(new TransformBinding { Sources = text }, Key, errors);

        Assert.Empty(errors);
        Assert.Equal(expected, filter.Sources.ToString());
    }

    [Fact]
    public void From_GatewayOnly_DoesNotMatchUpstreamResponses()
    {
        var filter = TerminationFilter.From(new TransformBinding { Sources = "Gateway", Status = "500-599" }, Key, []);

        Assert.True(filter.Matches(502, TerminationSources.Gateway));
        Assert.False(filter.Matches(502, TerminationSources.Upstream));
        Assert.False(filter.Matches(404, TerminationSources.Gateway));
    }

    [Theory]
    [InlineData("Elsewhere")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData("Gateway,")]
    public void From_BadSources_NamesTheKey(string text)
    {
        var errors = new List<string>();

        TerminationFilter.From(new TransformBinding { Sources = text }, Key, errors);

        Assert.Equal($"{Key}:Sources is '{text}'; it must be Gateway, Upstream or All.", Assert.Single(errors));
    }

    [Fact]
    public void From_BadStatus_NamesTheKey()
    {
        var errors = new List<string>();

        TerminationFilter.From(new TransformBinding { Status = "200-599" }, Key, errors);

        Assert.Equal($"{Key}:Status is '200-599': it has '200-599', outside 300-599: 1xx and 2xx responses are never transformed.", Assert.Single(errors));
    }
}
