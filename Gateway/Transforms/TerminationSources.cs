namespace Gateway.Transforms;

/// <summary>Who produced a termination, as a binding's <c>Sources</c> filter names it.</summary>
[Flags]
internal enum TerminationSources
{
    /// <summary>The gateway ended the request itself (401, 404, 429, 502, 504...).</summary>
    Gateway = 1,

    /// <summary>The upstream answered with a non-2xx status.</summary>
    Upstream = 2,

    /// <summary>Both: the default.</summary>
    All = Gateway | Upstream,
}
