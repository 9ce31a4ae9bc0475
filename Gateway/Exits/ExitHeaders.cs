using Gateway.Scripting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Gateway.Exits;

/// <summary>
/// Moves headers between the <see cref="HttpResponse"/> and the <see cref="ResponseHeaders"/> transforms see.
/// The gateway keeps the framing headers (<c>Content-Length</c>, <c>Transfer-Encoding</c>, hop-by-hop) and
/// <c>Content-Encoding</c> to itself: it sets them to match the body it actually sends.
/// </summary>
internal static class ExitHeaders
{
    /// <summary>Whether a transform's value for <paramref name="name"/> is ever sent.</summary>
    public static bool IsTransformable(string name) =>
        !ResponseHeaders.IsGatewayOwned(name) && !name.Equals(HeaderNames.ContentEncoding, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The headers of <paramref name="source"/> a transform may see and change; <c>Content-Type</c> only when
    /// <paramref name="includeContentType"/> (an upstream's body has one; the gateway's own is decided on writing).
    /// </summary>
    public static ResponseHeaders From(IHeaderDictionary source, bool includeContentType)
    {
        var headers = new ResponseHeaders();
        foreach (var (name, values) in source)
        {
            if (!IsTransformable(name) || (!includeContentType && name.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }

                try
                {
                    headers.Append(name, value);
                }
                catch (ArgumentException)
                {
                    // A header ResponseHeaders refuses (a control character in an upstream's value): the
                    // transforms do not see it, and it is passed on as it came.
                }
            }
        }

        return headers;
    }

    /// <summary>Applies to <paramref name="target"/> what the transforms changed between <paramref name="before"/> and <paramref name="after"/>.</summary>
    public static void Apply(IHeaderDictionary target, ResponseHeaders before, ResponseHeaders after)
    {
        foreach (var name in before.Names)
        {
            if (!after.Contains(name))
            {
                target.Remove(name);
            }
        }

        foreach (var name in after.Names)
        {
            var values = after.GetValues(name);
            if (IsTransformable(name) && !values.SequenceEqual(before.GetValues(name), StringComparer.Ordinal))
            {
                target[name] = new StringValues([.. values]);
            }
        }
    }
}
