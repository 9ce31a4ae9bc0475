using Gateway.Webhooks;
using Gateway.Webhooks.Formatting;

namespace Gateway.Tests.Webhooks.Formatting;

public sealed class SlackTextTests
{
    [Theory]
    [InlineData("GET example.com/ → 401: No API key", "GET example.com/ → 401: No API key")]
    [InlineData("<!channel> & <https://evil|click>", "&lt;!channel&gt; &amp; &lt;https://evil|click&gt;")]
    [InlineData("", "")]
    public void Escape_EscapesMrkdwnControlCharacters(string text, string expected) =>
        Assert.Equal(expected, SlackText.Escape(text));

    [Fact]
    public void Escape_TruncatesToSlacksLimit()
    {
        var escaped = SlackText.Escape(new string('<', SlackText.MaxLength));

        Assert.True(escaped.Length <= SlackText.MaxLength);
        Assert.EndsWith("&lt;…", escaped, StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_KeepsTextAtTheLimit() =>
        Assert.Equal(SlackText.MaxLength, SlackText.Escape(new string('a', SlackText.MaxLength)).Length);
}
