using Microsoft.Extensions.Options;

namespace Gateway.Webhooks;

/// <summary>
/// Makes the host wait long enough on shutdown for the webhook queues to drain: its
/// <see cref="HostOptions.ShutdownTimeout"/> becomes at least <see cref="WebhookOptions.DrainTimeout"/> plus
/// <see cref="Margin"/> for the web server's own stop.
/// </summary>
internal sealed class WebhookShutdownTimeout(IOptions<WebhookOptions> webhooks) : IPostConfigureOptions<HostOptions>
{
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    public void PostConfigure(string? name, HostOptions options)
    {
        TimeSpan needed;
        try
        {
            needed = webhooks.Value.DrainTimeout + Margin;
        }
        catch (Exception e) when (e is OptionsValidationException or InvalidOperationException)
        {
            // An invalid section (or a value that does not convert): ValidateOnStart reports it with every other
            // section's problems, and the host stops.
            return;
        }

        if (options.ShutdownTimeout < needed)
        {
            options.ShutdownTimeout = needed;
        }
    }
}
