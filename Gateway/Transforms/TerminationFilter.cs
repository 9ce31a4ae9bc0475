namespace Gateway.Transforms;

/// <summary>Which terminations a binding's transforms see: by who produced them, and by status.</summary>
/// <param name="Sources">The gateway's own terminations, the upstream's responses, or both.</param>
/// <param name="Status">The statuses seen.</param>
internal sealed record TerminationFilter(TerminationSources Sources, StatusFilter Status)
{
    /// <summary>Both sources, 400–599.</summary>
    public static TerminationFilter Default { get; } = new(TerminationSources.All, StatusFilter.Default);

    public bool Matches(int status, TerminationSources source) => (Sources & source) != 0 && Status.Matches(status);

    /// <summary>
    /// Parses the <c>Sources</c> and <c>Status</c> of <paramref name="binding"/>, configured at <paramref name="key"/>
    /// (e.g. <c>Gateway:Transforms:Routes:api</c>). Each problem is added to <paramref name="errors"/> naming the
    /// full key; the default filter is returned in its place.
    /// </summary>
    public static TerminationFilter From(TransformBinding binding, string key, ICollection<string> errors)
    {
        var sources = TerminationSources.All;
        if (binding.Sources is not null && !TryParseSources(binding.Sources, out sources))
        {
            errors.Add($"{key}:{nameof(TransformBinding.Sources)} is '{binding.Sources}'; it must be Gateway, Upstream or All.");
        }

        var status = StatusFilter.Default;
        if (binding.Status is not null && !StatusFilter.TryParse(binding.Status, out status!, out var error))
        {
            errors.Add($"{key}:{nameof(TransformBinding.Status)} is '{binding.Status}': it {error}.");
            status = StatusFilter.Default;
        }

        return sources == TerminationSources.All && ReferenceEquals(status, StatusFilter.Default) ? Default : new TerminationFilter(sources, status);
    }

    // "Gateway", "Upstream", "All", or "Gateway, Upstream"; numbers are refused, though Enum.TryParse takes them.
    private static bool TryParseSources(string text, out TerminationSources sources)
    {
        sources = 0;
        foreach (var part in text.Split(','))
        {
            var name = part.Trim();
            if (name.Length == 0 || !char.IsAsciiLetter(name[0]) || !Enum.TryParse<TerminationSources>(name, ignoreCase: true, out var one))
            {
                return false;
            }

            sources |= one;
        }

        return sources != 0;
    }
}
