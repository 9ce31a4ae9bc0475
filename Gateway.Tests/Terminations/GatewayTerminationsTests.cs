using System.Text.RegularExpressions;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Terminations;

/// <summary>The one table of the gateway's own terminations, and README's copy of it.</summary>
public sealed partial class GatewayTerminationsTests
{
    [Fact]
    public void All_EveryKindButUpstreamResponse_HasARow()
    {
        var kinds = Enum.GetValues<TerminationKind>().Where(k => k != TerminationKind.UpstreamResponse);

        Assert.All(kinds, kind => Assert.Equal(kind, GatewayTerminations.Of(kind).Kind));
    }

    [Fact]
    public void Of_UpstreamResponse_Throws()
    {
        Assert.Throws<ArgumentException>(() => GatewayTerminations.Of(TerminationKind.UpstreamResponse));
    }

    [Theory]
    [InlineData(401, "Unauthorized")]
    [InlineData(500, "Internal Server Error")]
    [InlineData(409, "Client Error")]
    [InlineData(507, "Server Error")]
    public void TitleOf_Status_IsTheTablesOrGeneric(int status, string title)
    {
        Assert.Equal(title, GatewayTerminations.TitleOf(status));
    }

    [Fact]
    public void TryOf_StatusWithTwoRows_GivesTheKindsDefault()
    {
        Assert.True(GatewayTerminations.TryOf(401, out var termination));
        Assert.Same(GatewayTerminations.NoApiKey, termination);
        Assert.False(GatewayTerminations.TryOf(418, out _));
    }

    [Fact]
    public void Readme_TerminationsTable_ListsEveryRowInOrder()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md"));

        var documented = ReadmeRow().Matches(readme).Select(m => (m.Groups["kind"].Value, m.Groups["status"].Value, m.Groups["message"].Value, m.Groups["title"].Value)).ToList();
        var table = GatewayTerminations.All.Select(t => (t.Kind.ToString(), t.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Message, t.Title)).ToList();

        Assert.Equal(table, documented);
    }

    // | `Unauthorized` | 401 | `No API key found in request` | Unauthorized | ...
    [GeneratedRegex(@"^\| `(?<kind>\w+)` \| (?<status>\d{3}) \| `(?<message>[^`]+)` \| (?<title>[^|`]+?) \|", RegexOptions.Multiline)]
    private static partial Regex ReadmeRow();
}
