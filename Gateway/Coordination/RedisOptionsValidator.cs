using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Coordination;

/// <summary>Refuses, at start-up and in <c>check</c>, a Redis section that cannot work, naming the key.</summary>
internal sealed class RedisOptionsValidator : IValidateOptions<RedisOptions>
{
    private static readonly TimeSpan MaxOperationTimeout = TimeSpan.FromSeconds(5);

    public ValidateOptionsResult Validate(string? name, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            // Off: nothing else in the section is read.
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        try
        {
            ConfigurationOptions.Parse(options.Configuration!);
        }
        catch (ArgumentException e)
        {
            failures.Add($"{RedisOptions.Section}:Configuration is not a StackExchange.Redis configuration string: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(options.KeyPrefix))
        {
            failures.Add($"{RedisOptions.Section}:KeyPrefix is empty; keep the default \"gateway:\" or name one.");
        }

        if (options.OperationTimeout <= TimeSpan.Zero || options.OperationTimeout > MaxOperationTimeout)
        {
            failures.Add($"{RedisOptions.Section}:OperationTimeout is {options.OperationTimeout}; it must be positive and at most {MaxOperationTimeout} (requests wait for it).");
        }

        if (options.ClaimAfter < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{RedisOptions.Section}:ClaimAfter is {options.ClaimAfter}; it must be at least one second (a live replica renews its claim at a third of it).");
        }

        if (options.WarningInterval <= TimeSpan.Zero)
        {
            failures.Add($"{RedisOptions.Section}:WarningInterval is {options.WarningInterval}; it must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
