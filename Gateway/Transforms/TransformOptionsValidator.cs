using Microsoft.Extensions.Options;

namespace Gateway.Transforms;

/// <summary>
/// Refuses, at start-up, a <c>Gateway:Transforms</c> section the gateway cannot honour: a binding's <c>Sources</c>
/// or <c>Status</c> that does not parse, or a <c>MaxUpstreamBodyBytes</c> out of range. Each message names its key.
/// </summary>
internal sealed class TransformOptionsValidator : IValidateOptions<TransformOptions>
{
    public ValidateOptionsResult Validate(string? name, TransformOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        TerminationFilter.From(options.Global, $"{TransformOptions.Section}:{nameof(TransformOptions.Global)}", errors);
        foreach (var (route, binding) in options.Routes)
        {
            TerminationFilter.From(binding, $"{TransformOptions.Section}:{nameof(TransformOptions.Routes)}:{route}", errors);
        }

        if (options.MaxUpstreamBodyBytes is < 0 or > TransformOptions.MaxUpstreamBodyBytesCeiling)
        {
            errors.Add(
                $"{TransformOptions.Section}:{nameof(TransformOptions.MaxUpstreamBodyBytes)} is {options.MaxUpstreamBodyBytes}; " +
                $"it must be within 0-{TransformOptions.MaxUpstreamBodyBytesCeiling}.");
        }

        if (!Enum.IsDefined(options.Isolation))
        {
            errors.Add($"{TransformOptions.Section}:{nameof(TransformOptions.Isolation)} must be Process or InProcess.");
        }

        if (options.Reload.Debounce < TimeSpan.Zero || options.Reload.Debounce > TransformReloadOptions.MaxDebounce)
        {
            errors.Add(
                $"{TransformOptions.Section}:{nameof(TransformOptions.Reload)}:{nameof(TransformReloadOptions.Debounce)} is {options.Reload.Debounce}; " +
                $"it must be within 00:00:00-{TransformReloadOptions.MaxDebounce}.");
        }

        errors.AddRange(options.Hosts.Validate($"{TransformOptions.Section}:{nameof(TransformOptions.Hosts)}"));

        try
        {
            options.Budget.Validate();
        }
        catch (ArgumentException e)
        {
            errors.Add($"{TransformOptions.Section}:{nameof(TransformOptions.Budget)}: {e.Message}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
