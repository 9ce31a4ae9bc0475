using Microsoft.Extensions.Options;

namespace Gateway.Commands;

/// <summary>
/// Recognises a configuration error among what start-up (or <c>check</c>) throws, and turns it into one line per
/// problem, each naming its key: what the options validators say, or the binder's "cannot convert" message.
/// </summary>
internal static class ConfigurationErrors
{
    /// <summary>The problems, one line each, when <paramref name="exception"/> is a configuration error; else null.</summary>
    public static IReadOnlyList<string>? Describe(Exception exception) => exception switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException all when all.InnerExceptions.Count > 0 && all.InnerExceptions.All(e => Describe(e) is not null) =>
            [.. all.InnerExceptions.SelectMany(e => Describe(e)!)],

        // The configuration binder: "Failed to convert configuration value at 'Gateway:…' to type '…'."
        InvalidOperationException binding when binding.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            [binding.Message],
        _ => null,
    };
}
