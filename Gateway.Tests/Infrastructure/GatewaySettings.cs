namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The configuration tests start from: one upstream, and a route per termination kind.
/// <list type="bullet">
/// <item><c>Host: example.com</c> → route <c>secure</c>, API key required (<c>test-key</c>).</item>
/// <item><c>/open/…</c> → route <c>open</c>, no key.</item>
/// <item><c>/limited/…</c> → route <c>limited</c>, one request a minute.</item>
/// <item><c>/small/…</c> → route <c>small</c>, bodies up to 1 KB.</item>
/// <item><c>/down/…</c> → route <c>down</c>, a cluster on a closed port.</item>
/// <item><c>/timeout/…</c> → route <c>timeout</c>, the upstream with a 300 ms activity timeout.</item>
/// <item><c>/empty/…</c> → route <c>empty</c>, a cluster with no destination.</item>
/// </list>
/// </summary>
internal static class GatewaySettings
{
    public const string ApiKey = "test-key";

    public static Dictionary<string, string?> For(Uri upstream, Uri? slack = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:ApiKeys:tester"] = ApiKey,
            ["Gateway:RateLimits:one-a-minute:PermitLimit"] = "1",
            ["Gateway:RateLimits:one-a-minute:Window"] = "00:01:00",
            ["Gateway:Webhooks:Default"] = "slack",
            ["Gateway:Webhooks:Destinations:slack:Kind"] = "Slack",
            ["Gateway:Webhooks:Destinations:slack:Url"] = slack?.ToString() ?? string.Empty,
            ["Gateway:Webhooks:Destinations:slack:Timeout"] = "00:00:02",

            // Transforms run in transform hosts, as by default; one serving host (and the spare) per test gateway
            // keeps the many gateways the suite starts light on a 2-core machine.
            ["Gateway:Transforms:Hosts:Count"] = "1",

            ["ReverseProxy:Routes:secure:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:secure:AuthorizationPolicy"] = "api-key",
            ["ReverseProxy:Routes:secure:Match:Hosts:0"] = "example.com",
            ["ReverseProxy:Routes:secure:Match:Path"] = "{**catch-all}",
            ["ReverseProxy:Routes:open:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:open:Match:Path"] = "/open/{**catch-all}",
            ["ReverseProxy:Routes:open:Transforms:0:PathRemovePrefix"] = "/open",
            ["ReverseProxy:Routes:limited:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:limited:RateLimiterPolicy"] = "one-a-minute",
            ["ReverseProxy:Routes:limited:Match:Path"] = "/limited/{**catch-all}",
            ["ReverseProxy:Routes:small:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:small:MaxRequestBodySize"] = "1024",
            ["ReverseProxy:Routes:small:Match:Path"] = "/small/{**catch-all}",
            ["ReverseProxy:Routes:down:ClusterId"] = "down",
            ["ReverseProxy:Routes:down:Match:Path"] = "/down/{**catch-all}",
            ["ReverseProxy:Routes:timeout:ClusterId"] = "impatient",
            ["ReverseProxy:Routes:timeout:Match:Path"] = "/timeout/{**catch-all}",
            ["ReverseProxy:Routes:timeout:Transforms:0:PathRemovePrefix"] = "/timeout",
            ["ReverseProxy:Routes:empty:ClusterId"] = "empty",
            ["ReverseProxy:Routes:empty:Match:Path"] = "/empty/{**catch-all}",

            ["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = upstream.ToString(),
            ["ReverseProxy:Clusters:impatient:HttpRequest:ActivityTimeout"] = "00:00:00.300",
            ["ReverseProxy:Clusters:impatient:Destinations:one:Address"] = upstream.ToString(),
            ["ReverseProxy:Clusters:down:Destinations:one:Address"] = $"http://127.0.0.1:{LoopbackServer.ClosedPort()}/",
            ["ReverseProxy:Clusters:empty:LoadBalancingPolicy"] = "FirstAlphabetical",
        };
        return settings;
    }

    /// <summary>Binds <paramref name="transforms"/> globally, in order.</summary>
    public static Dictionary<string, string?> WithGlobal(this Dictionary<string, string?> settings, params string[] transforms)
    {
        for (var i = 0; i < transforms.Length; i++)
        {
            settings[$"Gateway:Transforms:Global:Transforms:{i}"] = transforms[i];
        }

        return settings;
    }

    /// <summary>Sets which terminations the global binding sees: its <c>Status</c> and <c>Sources</c> filters, when given.</summary>
    public static Dictionary<string, string?> WithGlobalFilter(this Dictionary<string, string?> settings, string? status = null, string? sources = null) =>
        settings.WithFilter("Gateway:Transforms:Global", status, sources);

    /// <summary>Sets which terminations <paramref name="route"/>'s binding sees: its <c>Status</c> and <c>Sources</c> filters, when given.</summary>
    public static Dictionary<string, string?> WithRouteFilter(this Dictionary<string, string?> settings, string route, string? status = null, string? sources = null) =>
        settings.WithFilter($"Gateway:Transforms:Routes:{route}", status, sources);

    /// <summary>Sets <c>Gateway:Transforms:MaxUpstreamBodyBytes</c>.</summary>
    public static Dictionary<string, string?> WithMaxUpstreamBodyBytes(this Dictionary<string, string?> settings, int bytes)
    {
        settings["Gateway:Transforms:MaxUpstreamBodyBytes"] = bytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    /// <summary>Binds <paramref name="transforms"/> to <paramref name="route"/>, in order.</summary>
    public static Dictionary<string, string?> WithRoute(this Dictionary<string, string?> settings, string route, params string[] transforms)
    {
        for (var i = 0; i < transforms.Length; i++)
        {
            settings[$"Gateway:Transforms:Routes:{route}:Transforms:{i}"] = transforms[i];
        }

        return settings;
    }

    private static Dictionary<string, string?> WithFilter(this Dictionary<string, string?> settings, string binding, string? status, string? sources)
    {
        if (status is not null)
        {
            settings[$"{binding}:Status"] = status;
        }

        if (sources is not null)
        {
            settings[$"{binding}:Sources"] = sources;
        }

        return settings;
    }
}
