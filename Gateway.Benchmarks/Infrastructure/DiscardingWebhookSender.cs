using Gateway.Scripting;

namespace Gateway.Benchmarks.Infrastructure;

/// <summary>A webhook sender that keeps nothing, for benchmarks of transforms that do not measure sending.</summary>
internal sealed class DiscardingWebhookSender : IWebhookSender
{
    public static readonly DiscardingWebhookSender Instance = new();

    public void Send(string text)
    {
    }

    public void Send(string destination, string text)
    {
    }

    public void Send(WebhookAlert alert)
    {
    }

    public void Send(string destination, WebhookAlert alert)
    {
    }
}
