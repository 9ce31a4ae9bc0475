using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Webhooks;
using Gateway.Webhooks.Formatting;

namespace Gateway.Tests.Webhooks.Formatting;

public sealed class SlackPayloadTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_Text_IsOnlyTheEscapedText()
    {
        var payload = SlackPayload.For(new WebhookMessage("slack", "GET <evil>/ & → 401", null, Now));

        Assert.Equal("""{"text":"GET &lt;evil&gt;/ &amp; → 401"}""", payload.ToJsonString(Json.Options));
    }

    [Fact]
    public void For_TextFollowUp_StartsWithTheCount()
    {
        var followUp = new WebhookMessage("slack", "GET a/ → 401: x", null, Now).FollowUp(37, Now.AddSeconds(-59), Now, Now);

        Assert.Equal("37 more like this between 11:59:01 and 12:00:00 UTC: GET a/ → 401: x", (string?)SlackPayload.For(followUp)["text"]);
    }

    [Theory]
    [InlineData(AlertSeverity.Info, "#36C5F0")]
    [InlineData(AlertSeverity.Warning, "#ECB22E")]
    [InlineData(AlertSeverity.Error, "#E01E5A")]
    [InlineData(AlertSeverity.Critical, "#8B0000")]
    public void For_Alert_IsAnAttachmentColouredBySeverity(AlertSeverity severity, string color)
    {
        var payload = SlackPayload.For(Alert(new WebhookAlert("Upstream down") { Severity = severity }));

        Assert.Equal(color, (string?)payload["attachments"]![0]!["color"]);
    }

    [Fact]
    public void For_Alert_HasHeaderTextAndFieldBlocks()
    {
        var alert = new WebhookAlert("Upstream <down>")
        {
            Text = "GET /api → 502 & <!channel>",
            Fields = new Dictionary<string, string> { ["Route"] = "api", ["Status"] = "502" },
        };

        var payload = SlackPayload.For(Alert(alert));

        Assert.Equal("[Error] Upstream &lt;down&gt;: GET /api → 502 &amp; &lt;!channel&gt; (Route: api, Status: 502)", (string?)payload["text"]);
        var blocks = Blocks(payload);
        Assert.Equal(["header", "section", "section"], blocks.Select(b => (string?)b["type"]));
        Assert.Equal("plain_text", (string?)blocks[0]["text"]!["type"]);
        Assert.Equal("Upstream <down>", (string?)blocks[0]["text"]!["text"]);
        Assert.Equal("GET /api → 502 &amp; &lt;!channel&gt;", (string?)blocks[1]["text"]!["text"]);
        Assert.Equal(["*Route*\napi", "*Status*\n502"], blocks[2]["fields"]!.AsArray().Select(f => (string?)f!["text"]));
    }

    [Fact]
    public void For_AlertFollowUp_SaysHowManyMore()
    {
        var followUp = Alert(new WebhookAlert("Upstream down") { Text = "502" }).FollowUp(5, Now.AddSeconds(-59), Now, Now);

        var blocks = Blocks(SlackPayload.For(followUp));

        Assert.Equal("*5 more like this between 11:59:01 and 12:00:00 UTC*", (string?)blocks[1]["text"]!["text"]);
        Assert.Equal("502", (string?)blocks[2]["text"]!["text"]);
    }

    [Fact]
    public void For_HugeAlert_StaysWithinSlacksLimits()
    {
        var alert = new WebhookAlert(new string('t', 500))
        {
            Text = new string('<', 10_000),
            Fields = Enumerable.Range(0, 1_000).ToDictionary(i => $"field {i}", _ => new string('v', 5_000)),
        };

        var payload = SlackPayload.For(Alert(alert));

        Assert.True(((string?)payload["text"])!.Length <= SlackLimits.MessageText);
        var blocks = Blocks(payload);
        Assert.Equal(SlackLimits.Blocks, blocks.Count);
        Assert.Equal(SlackLimits.HeaderText, ((string?)blocks[0]["text"]!["text"])!.Length);
        Assert.InRange(((string?)blocks[1]["text"]!["text"])!.Length, SlackLimits.SectionText - 4, SlackLimits.SectionText);
        var fieldSections = blocks.Where(b => b["fields"] is not null).ToList();
        Assert.All(fieldSections, s => Assert.Equal(SlackLimits.SectionFields, s["fields"]!.AsArray().Count));
        Assert.All(fieldSections.SelectMany(s => s["fields"]!.AsArray()), f => Assert.Equal(SlackLimits.FieldText, ((string?)f!["text"])!.Length));
        Assert.Equal($"_…and {1_000 - (fieldSections.Count * 10)} more fields_", (string?)blocks[^1]["text"]!["text"]);
    }

    private static WebhookMessage Alert(WebhookAlert alert) => new("slack", null, alert, Now);

    private static List<JsonNode> Blocks(JsonObject payload) => [.. payload["attachments"]![0]!["blocks"]!.AsArray().Select(b => b!)];
}
