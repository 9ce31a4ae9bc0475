using System.Text.Json.Nodes;
using Gateway.Scripting.Testing;
using Gateway.Scripting;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Scripting.Abstractions;

public sealed class ExitContextTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(401)]
    [InlineData(599)]
    public void Status_WithinRange_IsKept(int status)
    {
        var context = TestExits.Context(500);

        context.Status = status;

        Assert.Equal(status, context.Status);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(103)]
    [InlineData(199)]
    [InlineData(600)]
    [InlineData(42)]
    [InlineData(0)]
    [InlineData(-401)]
    [InlineData(int.MaxValue)]
    public void Status_OutsideRange_ThrowsAndKeepsThePreviousValue(int status)
    {
        var context = TestExits.Context(401);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => context.Status = status);

        Assert.Equal(status, exception.ActualValue);
        Assert.Equal(401, context.Status);
    }

    [Theory]
    [InlineData(103)]
    [InlineData(101)]
    public void Status_Interim_IsRefusedAsNotAFinalStatus(int status)
    {
        var context = TestExits.Context(401);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => context.Status = status);

        Assert.Contains("interim (1xx)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("200-599", exception.Message, StringComparison.Ordinal);
        Assert.Equal(401, context.Status);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(600)]
    public void Constructor_StatusOutsideRange_Throws(int status) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TestExits.Context(status));

    [Fact]
    public void Constructor_BodyAndText_KeepsTheBodyOnly()
    {
        var body = new JsonObject { ["message"] = "x" };

        var context = TestExits.Context(body: body, text: "x");

        Assert.Same(body, context.Body);
        Assert.Null(context.Text);
    }

    [Fact]
    public void Constructor_TextWithoutBody_KeepsTheText()
    {
        var context = TestExits.Context(text: "Bad Gateway");

        Assert.Null(context.Body);
        Assert.Equal("Bad Gateway", context.Text);
    }

    [Fact]
    public void Body_Set_ClearsText()
    {
        var context = TestExits.Context(text: "plain");

        context.Body = new JsonObject { ["message"] = "json" };

        Assert.Null(context.Text);
        Assert.Equal("""{"message":"json"}""", context.Body!.ToJsonString());
    }

    [Fact]
    public void Text_Set_ClearsBody()
    {
        var context = TestExits.Context(body: new JsonObject { ["message"] = "json" });

        context.Text = "plain";

        Assert.Null(context.Body);
        Assert.Equal("plain", context.Text);
    }

    [Fact]
    public void Body_SetNull_LeavesNoBodyAtAll()
    {
        var context = TestExits.Context(text: "plain");

        context.Body = null;

        Assert.Null(context.Body);
        Assert.Null(context.Text);
    }

    [Fact]
    public void Constructor_KeepsTheGivenServices()
    {
        var headers = new ResponseHeaders { ["x-a"] = "1" };
        var request = TestExits.Request();
        var webhooks = new RecordingWebhookSender();

        var context = new ExitContext(401, null, null, headers, request, webhooks, NullLogger.Instance);

        Assert.Same(headers, context.Headers);
        Assert.Same(request, context.Request);
        Assert.Same(webhooks, context.Webhooks);
        Assert.Same(NullLogger.Instance, context.Log);
    }
}
