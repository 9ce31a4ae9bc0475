using Gateway.Scripting;
using Gateway.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the webhook queue scripts send to and the background service that delivers it.</summary>
internal static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => o.QueueCapacity > 0, $"{WebhookOptions.Section}:QueueCapacity must be positive.")
            .Validate(o => o.Destinations.Values.All(d => d.Timeout > TimeSpan.Zero), $"{WebhookOptions.Section}: every destination's Timeout must be positive.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton<IWebhookSender>(provider => provider.GetRequiredService<WebhookQueue>());
        services.AddSingleton<WebhookDeliveryService>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDeliveryService>());

        // The handler logs of IHttpClientFactory would write the request URI, which holds the webhook's secret.
        services.AddHttpClient(WebhookDeliveryService.HttpClientName).RemoveAllLoggers();
        return services;
    }
}
