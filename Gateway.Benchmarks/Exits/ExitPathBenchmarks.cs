using BenchmarkDotNet.Attributes;
using Gateway.Benchmarks.Infrastructure;
using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Benchmarks.Exits;

/// <summary>
/// The whole exit path of a gateway-produced 401 (no API key), from the termination to the bytes written:
/// request view, chain, serialisation, response. The baseline is the same 401 on a route with no transform.
/// </summary>
[MemoryDiagnoser]
public class ExitPathBenchmarks
{
    private static readonly GatewayTermination Unauthorized = GatewayTerminations.NoApiKey;

    private readonly DefaultHttpContext _context = WrkRequest.NewContext();
    private GatewayHost _host = null!;
    private Endpoint _bare = null!;
    private Endpoint _arr = null!;
    private Endpoint _alertAndArr = null!;

    /// <summary>Where the transforms run: in the gateway's process, or in transform hosts (a round trip per chain).</summary>
    [Params("InProcess", "Process")]
    public string Isolation { get; set; } = "InProcess";

    [GlobalSetup]
    public void Setup()
    {
        _host = GatewayHost.Create(new Dictionary<string, string?>
        {
            ["Gateway:Transforms:Isolation"] = Isolation,

            // Start-up validation wants every route the bindings name defined; nothing is forwarded.
            ["ReverseProxy:Routes:bare:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:bare:Match:Path"] = "/bare/{**rest}",
            ["ReverseProxy:Routes:arr:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:arr:Match:Path"] = "/arr/{**rest}",
            ["ReverseProxy:Routes:alert-arr:ClusterId"] = "upstream",
            ["ReverseProxy:Routes:alert-arr:Match:Path"] = "/alert-arr/{**rest}",
            ["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = "http://127.0.0.1:9/",
            ["Gateway:Transforms:Routes:arr:Transforms:0"] = "arr.csx",
            ["Gateway:Transforms:Routes:alert-arr:Transforms:0"] = "slack-alert.csx",
            ["Gateway:Transforms:Routes:alert-arr:Transforms:1"] = "arr.csx",
            ["Gateway:Webhooks:Default"] = "slack",
            ["Gateway:Webhooks:Destinations:slack:Kind"] = "Slack",
        });
        _bare = RouteEndpoint("bare");
        _arr = RouteEndpoint("arr");
        _alertAndArr = RouteEndpoint("alert-arr");
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _host.DisposeAsync();

    // Requests are served on thread-pool threads: each operation runs there, in batches, as the gateway's would.
    private const int Batch = 32;

    /// <summary>The 401 on a route with no transform bound.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public Task NoTransform() => OnThreadPool(_bare);

    /// <summary>The 401 reshaped by arr.csx.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public Task Arr() => OnThreadPool(_arr);

    /// <summary>The bundled chain of the example route: slack-alert.csx (global) queues a message, then arr.csx.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public Task SlackAlertThenArr() => OnThreadPool(_alertAndArr);

    private Task OnThreadPool(Endpoint endpoint) => Task.Run(async () =>
    {
        for (var i = 0; i < Batch; i++)
        {
            await RespondAsync(endpoint);
        }
    });

    private async Task RespondAsync(Endpoint endpoint)
    {
        // What the API-key challenge leaves before the exit middleware takes over.
        _context.SetEndpoint(endpoint);
        _context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        _context.Response.Headers[HeaderNames.WWWAuthenticate] = "Key realm=\"gateway\"";

        // Serilog's request logging opens this collector for each request while its level is on (not at the Warning
        // these benchmarks run at, as in bench/gateway); the responder adds to it.
        using (_host.RequestLog.IsOn ? _host.Diagnostics.BeginCollection() : null)
        {
            await _host.Responder.RespondAsync(_context, Unauthorized);
        }

        // The delivery service's side of the queue, so that it never fills and drops.
        _host.DrainWebhooks();
    }

    private static Endpoint RouteEndpoint(string routeId)
    {
        var route = new RouteModel(new RouteConfig { RouteId = routeId, ClusterId = "upstream" }, new ClusterState("upstream"), HttpTransformer.Default);
        return new Endpoint(null, new EndpointMetadataCollection(route), routeId);
    }
}
