using Gateway.Transforms;

namespace Gateway.Tests.Transforms;

public sealed class StatusFilterTests
{
    [Theory]
    [InlineData("400-599", 400, true)]
    [InlineData("400-599", 599, true)]
    [InlineData("400-599", 399, false)]
    [InlineData("429,500-599", 429, true)]
    [InlineData("429,500-599", 430, false)]
    [InlineData("429,500-599", 503, true)]
    [InlineData(" 429 , 500 - 599 ", 500, true)]
    [InlineData("5xx", 500, true)]
    [InlineData("5XX", 599, true)]
    [InlineData("5xx", 499, false)]
    [InlineData("3xx,404", 302, true)]
    [InlineData("3xx,404", 404, true)]
    [InlineData("3xx,404", 400, false)]
    [InlineData("503", 503, true)]
    [InlineData("503", 502, false)]
    public void TryParse_Valid_MatchesTheStatusesItNames(string text, int status, bool matches)
    {
        Assert.True(StatusFilter.TryParse(text, out var filter, out var error), error);

        Assert.Equal(matches, filter.Matches(status));
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("  ", "is empty")]
    [InlineData("500,", "empty item")]
    [InlineData("abc", "'abc', which is not a status")]
    [InlineData("50", "'50', which is not a status")]
    [InlineData("5000", "'5000', which is not a status")]
    [InlineData("+500", "'+500', which is not a status")]
    [InlineData("500-", "'500-', which is not a status")]
    [InlineData("599-500", "end is below its start")]
    [InlineData("200-299", "outside 300-599")]
    [InlineData("2xx", "outside 300-599")]
    [InlineData("100", "outside 300-599")]
    [InlineData("400-600", "outside 300-599")]
    [InlineData("6xx", "outside 300-599")]
    public void TryParse_Invalid_SaysWhy(string text, string why)
    {
        Assert.False(StatusFilter.TryParse(text, out var filter, out var error));

        Assert.Null(filter);
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_IsClientAndServerErrors_NotRedirects()
    {
        Assert.Equal("400-599", StatusFilter.Default.ToString());
        Assert.False(StatusFilter.Default.Matches(302));
        Assert.True(StatusFilter.Default.Matches(400));
        Assert.True(StatusFilter.Default.Matches(599));
    }
}
