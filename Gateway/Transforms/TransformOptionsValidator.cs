using Microsoft.Extensions.Options;

namespace Gateway.Transforms;

/// <summary>
/// Refuses a <c>Gateway:Transforms</c> section the gateway cannot honour, at start-up (which stops) and on every
/// reload (<see cref="TransformSettings"/> keeps the last good one): a binding to a route that <c>ReverseProxy:Routes</c>
/// does not define, a binding's <c>Sources</c> or <c>Status</c> that does not parse, a <c>MaxUpstreamBodyBytes</c> out
/// of range... Each message names its key.
/// </summary>
/// <param name="configuration">
/// The configuration the routes are read from, as YARP reads them (<c>LoadFromConfig</c>): the same snapshot as the
/// section being validated, so that a route and its binding added in one save are checked together.
/// </param>
internal sealed class TransformOptionsValidator(IConfiguration configuration) : IValidateOptions<TransformOptions>
{
    /// <summary>Where YARP's routes are configured.</summary>
    public const string RoutesSection = "ReverseProxy:Routes";

    public ValidateOptionsResult Validate(string? name, TransformOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        TerminationFilter.From(options.Global, $"{TransformOptions.Section}:{nameof(TransformOptions.Global)}", errors);
        var routes = configuration.GetSection(RoutesSection).GetChildren().Select(route => route.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (route, binding) in options.Routes)
        {
            var key = $"{TransformOptions.Section}:{nameof(TransformOptions.Routes)}:{route}";
            TerminationFilter.From(binding, key, errors);
            if (!routes.Contains(route))
            {
                // A typo here would silently leave a route's terminations untransformed.
                errors.Add($"{key} binds transforms to route '{route}', which {RoutesSection} does not define.");
            }
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

        errors.AddRange(options.Compiler.Validate($"{TransformOptions.Section}:{nameof(TransformOptions.Compiler)}"));
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
