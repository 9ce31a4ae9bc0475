using Microsoft.Extensions.Options;

namespace Gateway.RateLimiting;

/// <summary>Refuses, at start-up and in <c>check</c>, a policy whose <c>PermitLimit</c> or <c>Window</c> is not positive, naming the key.</summary>
internal sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (policy, settings) in options.Policies)
        {
            if (settings.PermitLimit <= 0)
            {
                failures.Add($"{RateLimitPolicyOptions.Section}:{policy}:PermitLimit is {settings.PermitLimit}; it must be positive.");
            }

            if (settings.Window <= TimeSpan.Zero)
            {
                failures.Add($"{RateLimitPolicyOptions.Section}:{policy}:Window is {settings.Window}; it must be positive.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
