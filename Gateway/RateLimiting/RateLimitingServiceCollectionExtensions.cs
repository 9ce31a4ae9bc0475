using System.Globalization;
using System.Threading.RateLimiting;
using Gateway.Authentication;
using Gateway.Coordination;
using Gateway.RateLimiting;
using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the rate-limit policies of <c>Gateway:RateLimits</c> with ASP.NET Core rate limiting.</summary>
internal static class RateLimitingServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var policies = configuration.GetSection(RateLimitPolicyOptions.Section).GetChildren()
            .Select(section => (section.Key, Options: section.Get<RateLimitPolicyOptions>() ?? new RateLimitPolicyOptions()))
            .ToList();

        // Checked at start-up (and by check) like every section: a policy that is not positive stops the gateway.
        services.AddOptions<RateLimitOptions>()
            .Configure(options => configuration.GetSection(RateLimitPolicyOptions.Section).Bind(options.Policies))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RateLimitOptions>, RateLimitOptionsValidator>());

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (rejected, _) =>
            {
                var response = rejected.HttpContext.Response;
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                    response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
                }

                rejected.HttpContext.Terminate(GatewayTerminations.RateLimited);
                return ValueTask.CompletedTask;
            };

            foreach (var (name, options) in policies)
            {
                if (options.Store == RateLimitStore.Redis && RedisOptions.IsEnabled(configuration))
                {
                    // Same partitions as the local store; the counts live in Redis, shared by every replica.
                    limiter.AddPolicy(name, context => RateLimitPartition.Get(
                        PartitionKey(context, options.PartitionBy),
                        partition => new RedisFixedWindowRateLimiter(
                            context.RequestServices.GetRequiredService<RedisConnection>(), name, partition, options.PermitLimit, options.Window)));
                    continue;
                }

                limiter.AddPolicy(name, context => RateLimitPartition.GetFixedWindowLimiter(
                    PartitionKey(context, options.PartitionBy),
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.PermitLimit,
                        Window = options.Window,
                        QueueLimit = 0,
                    }));
            }
        });

        return services;
    }

    // Rate limiting runs before authentication, so that a flood of missing or wrong keys is throttled too: a policy
    // that counts by consumer checks the key itself (once per request; authentication reuses the answer), and a
    // request without a known key counts against its client's IP address.
    private static string PartitionKey(HttpContext context, RateLimitKey partition)
    {
        if (partition == RateLimitKey.Consumer
            && PresentedApiKey.Of(context, context.RequestServices.GetRequiredService<ApiKeyValidator>()).Consumer is { } consumer)
        {
            return "consumer:" + consumer;
        }

        return "ip:" + context.Connection.RemoteIpAddress;
    }
}
