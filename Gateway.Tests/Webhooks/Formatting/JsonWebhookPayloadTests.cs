using Gateway.Scripting;
using Gateway.Webhooks;
using Gateway.Webhooks.Formatting;

namespace Gateway.Tests.Webhooks.Formatting;

public sealed class JsonWebhookPayloadTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void For_Text_IsTheRawTextAndATimestamp()
    {
        var payload = JsonWebhookPayload.For(new WebhookMessage("ops", "GET <a>/ & → 401", null, Now));

        Assert.Equal("""{"text":"GET <a>/ & → 401","terminations":1,"timestamp":"2026-11-25T12:00:00.0000000Z"}""", payload.ToJsonString(Json.Options));
    }

    [Fact]
    public void For_AlertFollowUp_HasTitleSeverityFieldsAndTheFoldedCount()
    {
        var alert = new WebhookAlert("Upstream down")
        {
            Text = "502",
            Severity = AlertSeverity.Critical,
            Fields = new Dictionary<string, string> { ["Route"] = "api" },
        };
        var followUp = new WebhookMessage("ops", null, alert, Now).FollowUp(37, Now.AddSeconds(-59), Now, Now);

        var payload = JsonWebhookPayload.For(followUp);

        Assert.Equal(
            """{"text":"37 more like this between 11:59:01 and 12:00:00 UTC: 502","title":"Upstream down","severity":"critical","fields":{"Route":"api"},"folded":{"count":37,"seconds":59,"from":"2026-11-25T11:59:01.0000000Z","to":"2026-11-25T12:00:00.0000000Z"},"terminations":37,"timestamp":"2026-11-25T12:00:00.0000000Z"}""",
            payload.ToJsonString(Json.Options));
    }
}
