using Gateway.Coordination;
using Gateway.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Coordination;

public sealed class RedisOptionsTests
{
    [Fact]
    public void AddCoordination_WithoutConfiguration_RegistersNoRedisCode()
    {
        var services = new ServiceCollection().AddCoordination(new ConfigurationBuilder().Build());

        Assert.DoesNotContain(services, d => d.ServiceType == typeof(RedisConnection) || d.ServiceType == typeof(RedisMetrics));
        Assert.DoesNotContain(services, d => d.ImplementationType?.Namespace?.StartsWith("StackExchange", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void AddCoordination_WithConfiguration_RegistersTheConnection()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Redis:Configuration"] = "127.0.0.1:6379" })
            .Build();

        var services = new ServiceCollection().AddCoordination(configuration);

        Assert.Contains(services, d => d.ServiceType == typeof(RedisConnection));
    }

    [Theory]
    [InlineData(null, "gateway:", "00:00:00.250", true)]
    [InlineData("127.0.0.1:6379,connectTimeout=1000", "gateway:", "00:00:00.250", true)]
    [InlineData("127.0.0.1:6379", "", "00:00:00.250", false)]
    [InlineData("127.0.0.1:6379", "gateway:", "00:00:00", false)]
    [InlineData("127.0.0.1:6379", "gateway:", "00:01:00", false)]
    [InlineData("127.0.0.1:6379,nonsense=1", "gateway:", "00:00:00.250", false)]
    public void Validate_ChecksTheSectionOnlyWhenRedisIsOn(string? configuration, string prefix, string timeout, bool valid)
    {
        var options = new RedisOptions { Configuration = configuration, KeyPrefix = prefix, OperationTimeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(valid, new RedisOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("00:00:30", true)]
    [InlineData("00:00:01", true)]
    [InlineData("00:00:00.500", false)]
    [InlineData("-00:00:01", false)]
    public void Validate_ClaimAfter_AtLeastOneSecond(string claimAfter, bool valid)
    {
        var options = new RedisOptions { Configuration = "127.0.0.1:6379", ClaimAfter = TimeSpan.Parse(claimAfter, System.Globalization.CultureInfo.InvariantCulture) };

        var result = new RedisOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        Assert.Equal(valid, result.FailureMessage?.Contains("Gateway:Redis:ClaimAfter", StringComparison.Ordinal) != true);
    }

    [Fact]
    public void RateLimitPolicy_StoredInRedis_NeedsRedis()
    {
        var options = new RateLimitOptions();
        options.Policies["shared"] = new RateLimitPolicyOptions { Store = RateLimitStore.Redis };

        var result = new RateLimitOptionsValidator(Options.Create(new RedisOptions())).Validate(null, options);

        Assert.False(result.Succeeded);
        Assert.Contains("Gateway:RateLimits:shared:Store", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new RateLimitOptionsValidator(Options.Create(new RedisOptions { Configuration = "127.0.0.1:6379" })).Validate(null, options).Succeeded);
    }
}
