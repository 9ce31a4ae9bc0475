using Gateway.Authentication;
using Gateway.Scripting;
using Gateway.Terminations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Authentication;

/// <summary>
/// A request with no key at all, on a route that requires one, is answered before the authentication stack with the
/// scheme's own challenge; any other request goes on untouched (a wrong key is the scheme's to judge).
/// </summary>
public sealed class MissingApiKeyMiddlewareTests : IDisposable
{
    private readonly ServiceProvider _services;
    private bool _nextRan;

    public MissingApiKeyMiddlewareTests()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:ApiKeys:tester"] = "test-key" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddApiKeyAuthentication(configuration);
        services.Configure<ApiKeyAuthenticationOptions>(ApiKeyDefaults.Scheme, options => options.Realm = "tests");
        _services = services.BuildServiceProvider();
    }

    public void Dispose() => _services.Dispose();

    [Theory]
    [InlineData("api-key")]
    [InlineData("API-Key")]
    public async Task InvokeAsync_NoKeyOnARouteThatRequiresOne_AnswersTheChallengeWithoutGoingOn(string policy)
    {
        var context = Request(policy);

        await Middleware().InvokeAsync(context);

        Assert.False(_nextRan);
        Assert.Same(GatewayTerminations.NoApiKey, context.Features.Get<TerminationFeature>()?.Termination);
        Assert.Equal("Key realm=\"tests\"", context.Response.Headers[HeaderNames.WWWAuthenticate].ToString());
    }

    [Theory]
    [InlineData("header", "test-key")]
    [InlineData("header", "wrong")]
    [InlineData("query", "wrong")]
    public async Task InvokeAsync_KeyPresented_GoesOnToTheScheme(string where, string key)
    {
        var context = Request("api-key");
        if (where == "header")
        {
            context.Request.Headers[ApiKeyDefaults.KeyName] = key;
        }
        else
        {
            context.Request.QueryString = new QueryString($"?{ApiKeyDefaults.KeyName}={key}");
        }

        await Middleware().InvokeAsync(context);

        Assert.True(_nextRan);
        Assert.Null(context.Features.Get<TerminationFeature>());
        Assert.False(context.Response.Headers.ContainsKey(HeaderNames.WWWAuthenticate));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("default")]
    public async Task InvokeAsync_RouteThatDoesNotRequireAKey_GoesOn(string? policy)
    {
        var context = Request(policy);

        await Middleware().InvokeAsync(context);

        Assert.True(_nextRan);
        Assert.Null(context.Features.Get<TerminationFeature>());
    }

    [Fact]
    public async Task InvokeAsync_NoRoute_GoesOn()
    {
        var context = new DefaultHttpContext();

        await Middleware().InvokeAsync(context);

        Assert.True(_nextRan);
    }

    private MissingApiKeyMiddleware Middleware() => new(
        _ =>
        {
            _nextRan = true;
            return Task.CompletedTask;
        },
        _services.GetRequiredService<ApiKeyValidator>(),
        _services.GetRequiredService<IOptionsMonitor<ApiKeyAuthenticationOptions>>());

    private static DefaultHttpContext Request(string? policy)
    {
        var context = new DefaultHttpContext();
        var route = new RouteModel(
            new RouteConfig { RouteId = "secure", ClusterId = "upstream", AuthorizationPolicy = policy },
            new ClusterState("upstream"),
            HttpTransformer.Default);
        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(route), "secure"));
        return context;
    }
}
