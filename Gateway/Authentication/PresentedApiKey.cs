using Microsoft.AspNetCore.Http;

namespace Gateway.Authentication;

/// <summary>
/// The key a request presents (its <c>apikey</c> header, else its <c>apikey</c> query parameter) and the consumer it
/// belongs to, checked once per request. Rate limiting runs before authentication, and a policy that counts by
/// consumer needs to know the consumer; the authentication handler then reuses the same answer.
/// </summary>
internal sealed class PresentedApiKey
{
    private PresentedApiKey(bool presented, string? consumer)
    {
        Presented = presented;
        Consumer = consumer;
    }

    /// <summary>Whether the request carried a key at all.</summary>
    public bool Presented { get; }

    /// <summary>The consumer the key belongs to; <see langword="null"/> when there is no key or it is not known.</summary>
    public string? Consumer { get; }

    /// <summary>The request's key and its consumer, checked on the first call and remembered on the request.</summary>
    public static PresentedApiKey Of(HttpContext context, ApiKeyValidator validator)
    {
        if (context.Features.Get<PresentedApiKey>() is { } known)
        {
            return known;
        }

        var key = Read(context.Request);
        var result = new PresentedApiKey(key is not null, key is null ? null : validator.FindConsumer(key));
        context.Features.Set(result);
        return result;
    }

    private static string? Read(HttpRequest request)
    {
        var header = request.Headers[ApiKeyDefaults.KeyName];
        if (!string.IsNullOrEmpty(header))
        {
            return header.ToString();
        }

        var query = request.Query[ApiKeyDefaults.KeyName];
        return string.IsNullOrEmpty(query) ? null : query.ToString();
    }
}
