using Gateway.Authentication;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Authentication;

public sealed class ApiKeyValidatorTests
{
    [Theory]
    [InlineData("demo-key", "demo")]
    [InlineData("partner-key-7f3a", "partner")]
    public void FindConsumer_KnownKey_ReturnsItsConsumer(string presented, string consumer)
    {
        var validator = Validator(("demo", "demo-key"), ("partner", "partner-key-7f3a"));

        Assert.Equal(consumer, validator.FindConsumer(presented));
    }

    [Theory]
    [InlineData("unknown-key")]
    [InlineData("")]
    [InlineData("demo")]
    [InlineData("demo-ke")]
    [InlineData("demo-key-and-more")]
    [InlineData("DEMO-KEY")]
    [InlineData("Demo-Key")]
    [InlineData(" demo-key")]
    [InlineData("demo-key ")]
    [InlineData("partner")]
    public void FindConsumer_AnythingButAnExactKey_ReturnsNull(string presented)
    {
        var validator = Validator(("demo", "demo-key"), ("partner", "partner-key-7f3a"));

        Assert.Null(validator.FindConsumer(presented));
    }

    [Fact]
    public void FindConsumer_EmptyConfiguredKey_NeverMatches()
    {
        var validator = Validator(("empty", ""), ("demo", "demo-key"));

        Assert.Null(validator.FindConsumer(""));
        Assert.Equal("demo", validator.FindConsumer("demo-key"));
    }

    [Fact]
    public void FindConsumer_NoConsumers_ReturnsNull()
    {
        var validator = Validator();

        Assert.Null(validator.FindConsumer("demo-key"));
    }

    [Fact]
    public void FindConsumer_ConfigurationReloaded_UsesTheNewKeys()
    {
        var monitor = new TestOptionsMonitor(Options(("demo", "demo-key")));
        var validator = new ApiKeyValidator(monitor);
        Assert.Equal("demo", validator.FindConsumer("demo-key"));

        monitor.CurrentValue = Options(("demo", "rotated-key"));

        Assert.Null(validator.FindConsumer("demo-key"));
        Assert.Equal("demo", validator.FindConsumer("rotated-key"));
    }

    private static ApiKeyValidator Validator(params (string Consumer, string Key)[] consumers) =>
        new(new TestOptionsMonitor(Options(consumers)));

    private static ApiKeyOptions Options(params (string Consumer, string Key)[] consumers)
    {
        var options = new ApiKeyOptions();
        foreach (var (consumer, key) in consumers)
        {
            options.Consumers[consumer] = key;
        }

        return options;
    }

    private sealed class TestOptionsMonitor(ApiKeyOptions current) : IOptionsMonitor<ApiKeyOptions>
    {
        public ApiKeyOptions CurrentValue { get; set; } = current;

        public ApiKeyOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<ApiKeyOptions, string?> listener) => null;
    }
}
