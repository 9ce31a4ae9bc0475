using Gateway.Coordination;
using Gateway.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.RateLimiting;

/// <summary>A rate-limit policy that cannot work stops the gateway at start-up, naming its key and what is wrong.</summary>
public sealed class RateLimitOptionsValidatorTests
{
    [Theory]
    [InlineData(100, 1, "Local", null, null)]
    [InlineData(100, 1, "Redis", "127.0.0.1:6379", null)]
    [InlineData(0, 1, "Local", null, "Gateway:RateLimits:tight:PermitLimit is 0; it must be positive.")]
    [InlineData(-5, 1, "Local", null, "Gateway:RateLimits:tight:PermitLimit is -5; it must be positive.")]
    [InlineData(100, 0, "Local", null, "Gateway:RateLimits:tight:Window is 00:00:00; it must be positive.")]
    [InlineData(100, 1, "Redis", null, "Gateway:RateLimits:tight:Store is Redis, but Gateway:Redis:Configuration is not set.")]
    public void Validate_Policy_FailsOnlyWhereItCannotWork(int permitLimit, int windowSeconds, string store, string? redis, string? failure)
    {
        var options = new RateLimitOptions();
        options.Policies["tight"] = new RateLimitPolicyOptions { PermitLimit = permitLimit, Window = TimeSpan.FromSeconds(windowSeconds), Store = Enum.Parse<RateLimitStore>(store) };
        var validator = new RateLimitOptionsValidator(Options.Create(new RedisOptions { Configuration = redis }));

        var result = validator.Validate(null, options);

        Assert.Equal(failure is null ? [] : [failure], result.Failures ?? []);
    }

    [Fact]
    public void Validate_TwoBrokenPolicies_NamesEach()
    {
        var options = new RateLimitOptions();
        options.Policies["a"] = new RateLimitPolicyOptions { PermitLimit = 0 };
        options.Policies["b"] = new RateLimitPolicyOptions { Window = TimeSpan.Zero };

        var result = new RateLimitOptionsValidator(Options.Create(new RedisOptions())).Validate(null, options);

        Assert.Equal(
            ["Gateway:RateLimits:a:PermitLimit is 0; it must be positive.", "Gateway:RateLimits:b:Window is 00:00:00; it must be positive."],
            result.Failures);
    }
}
