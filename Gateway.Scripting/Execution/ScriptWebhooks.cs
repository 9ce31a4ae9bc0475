namespace Gateway.Scripting.Execution;

/// <summary>
/// The <c>Webhooks</c> global: a façade with no public state over the sender that queues messages, so that a library
/// that walks the global's properties (a serializer, a destructuring logger) finds nothing of the queue, its options
/// or its destinations. (An alert needs no copy here: <see cref="WebhookAlert.Fields"/> is copied when it is set.)
/// </summary>
internal sealed class ScriptWebhooks(IWebhookSender inner) : IWebhookSender
{
    public void Send(string text) => inner.Send(text);

    public void Send(string destination, string text) => inner.Send(destination, text);

    public void Send(WebhookAlert alert) => inner.Send(alert);

    public void Send(string destination, WebhookAlert alert) => inner.Send(destination, alert);
}
