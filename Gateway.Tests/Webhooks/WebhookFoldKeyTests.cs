using Gateway.Scripting;
using Gateway.Webhooks;

namespace Gateway.Tests.Webhooks;

public sealed class WebhookFoldKeyTests
{
    [Fact]
    public void For_Text_DependsOnDestinationAndWholeText()
    {
        Assert.Equal(WebhookFoldKey.For("slack", "GET a/ → 401: x"), WebhookFoldKey.For("slack", "GET a/ → 401: x"));
        Assert.NotEqual(WebhookFoldKey.For("slack", "GET a/ → 401: x"), WebhookFoldKey.For("slack", "GET a/ → 404: x"));
        Assert.NotEqual(WebhookFoldKey.For("slack", "x"), WebhookFoldKey.For("ops", "x"));
    }

    [Fact]
    public void For_Alert_IgnoresFieldsButNotSeverityTitleOrText()
    {
        var alert = new WebhookAlert("Upstream down") { Text = "502", Fields = new Dictionary<string, string> { ["Trace"] = "1" } };

        Assert.Equal(WebhookFoldKey.For("slack", alert), WebhookFoldKey.For("slack", alert with { Fields = new Dictionary<string, string> { ["Trace"] = "2" } }));
        Assert.NotEqual(WebhookFoldKey.For("slack", alert), WebhookFoldKey.For("slack", alert with { Severity = AlertSeverity.Critical }));
        Assert.NotEqual(WebhookFoldKey.For("slack", alert), WebhookFoldKey.For("slack", alert with { Title = "Other" }));
        Assert.NotEqual(WebhookFoldKey.For("slack", alert), WebhookFoldKey.For("slack", alert with { Text = "504" }));
    }

    [Fact]
    public void For_AlertWithFoldKey_UsesOnlyTheScriptsKey()
    {
        var one = new WebhookAlert("One") { FoldKey = "upstream" };
        var two = new WebhookAlert("Two") { Text = "different", FoldKey = "upstream" };

        Assert.Equal(WebhookFoldKey.For("slack", one), WebhookFoldKey.For("slack", two));
        Assert.NotEqual(WebhookFoldKey.For("slack", one), WebhookFoldKey.For("ops", two));
        Assert.NotEqual(WebhookFoldKey.For("slack", one), WebhookFoldKey.For("slack", "upstream"));
    }
}
