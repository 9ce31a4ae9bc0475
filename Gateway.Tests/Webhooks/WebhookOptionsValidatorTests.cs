using Gateway.Tests.Infrastructure;
using Gateway.Webhooks;
using Gateway.Webhooks.Formatting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Webhooks;

public sealed class WebhookOptionsValidatorTests
{
    [Fact]
    public void Validate_BundledConfiguration_Passes()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.GatewayProject, "appsettings.json"))
            .Build();
        var options = configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>()!;

        Assert.True(Validator().Validate(null, options).Succeeded);
        var slack = options.Destinations["slack"];
        Assert.Equal(WebhookDropPolicy.DropOldest, slack.DropPolicy);
        Assert.Equal(1, slack.RateLimit.MessagesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(60), slack.FoldWindow);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DrainTimeout);
    }

    [Fact]
    public void Validate_BadUrl_FailsWithoutShowingTheUrl()
    {
        var options = new WebhookOptions { Destinations = { ["slack"] = new() { Url = "hooks.slack.com/services/T0/B0/secret-token" } } };

        var result = Validator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Gateway:Webhooks:Destinations:slack:Url", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultNotConfigured_Fails()
    {
        var options = new WebhookOptions { Default = "teams", Destinations = { ["slack"] = new() } };

        var result = Validator().Validate(null, options);

        Assert.Equal(["Gateway:Webhooks:Default names 'teams', which is not under Gateway:Webhooks:Destinations."], result.Failures);
    }

    [Theory]
    [InlineData("json", true)]
    [InlineData("SLACK", true)]
    [InlineData("Teams", false)]
    [InlineData("", false)]
    public void Validate_Kind_IsAnyRegisteredFormattersKind(string kind, bool valid)
    {
        var options = new WebhookOptions { Destinations = { ["slack"] = new() { Kind = kind } } };

        var result = Validator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Equal(["Gateway:Webhooks:Destinations:slack:Kind must be one of Json, Slack."], result.Failures);
        }
    }

    [Fact]
    public void Validate_EveryBadNumber_IsNamed()
    {
        var options = new WebhookOptions
        {
            Destinations =
            {
                ["slack"] = new()
                {
                    Timeout = TimeSpan.Zero,
                    QueueCapacity = 0,
                    FoldWindow = TimeSpan.FromSeconds(-1),
                    ResolveAfter = TimeSpan.FromSeconds(-1),
                    RateLimit = { MessagesPerSecond = 0, Burst = 0 },
                    Retry = { MaxRetries = -1, Delay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) },
                },
            },
        };

        var failures = Validator().Validate(null, options).Failures!.ToList();

        foreach (var setting in new[] { ":Timeout", ":QueueCapacity", ":FoldWindow", ":ResolveAfter", ":RateLimit:MessagesPerSecond", ":RateLimit:Burst", ":Retry:MaxRetries", ":Retry:MaxDelay" })
        {
            Assert.Contains(failures, f => f.StartsWith("Gateway:Webhooks:Destinations:slack" + setting + " ", StringComparison.Ordinal));
        }
    }

    private static WebhookOptionsValidator Validator() => new(new WebhookFormatters([new SlackFormatter(), new JsonFormatter()]));
}
