using Gateway.Scripting;
using Gateway.Webhooks;
using Gateway.Webhooks.Delivery;
using Gateway.Webhooks.Formatting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the webhook queue scripts send to, its metrics, and the background delivery of every destination.</summary>
internal static class WebhookServiceCollectionExtensions
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(WebhookOptions.Section);
        services.AddOptions<WebhookOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HostOptions>, WebhookShutdownTimeout>());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookMetrics>();

        // One formatter per destination Kind: a new kind is a new IWebhookFormatter and one line here.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookFormatter, SlackFormatter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IWebhookFormatter, JsonFormatter>());
        services.TryAddSingleton<WebhookFormatters>();
        services.TryAddSingleton<WebhookPacing>();

        // Where each destination's token bucket lives: in memory, unless Coordination registered the shared one first.
        services.TryAddSingleton<IFleetPacing, SingleReplicaPacing>();
        services.TryAddSingleton<IFleetQueue, SingleReplicaQueue>();

        // The fleet's stage of folding: without Redis, this replica is the fleet (Coordination registers its own first).
        services.TryAddSingleton<IFleetFolding, SingleReplicaFolding>();
        services.TryAddSingleton<WebhookQueue>();
        services.TryAddSingleton<IWebhookSender>(provider => provider.GetRequiredService<WebhookQueue>());
        services.TryAddSingleton<WebhookDeliveryService>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDeliveryService>());

        // The destinations are known now, so that each gets an HTTP client and a resilience pipeline of its own.
        // The factory itself, even with no destination configured: the delivery service depends on it.
        services.AddHttpClient();
        WebhookHttpClients.Add(services, section.GetSection("Destinations").GetChildren().Select(destination => destination.Key));
        return services;
    }
}
