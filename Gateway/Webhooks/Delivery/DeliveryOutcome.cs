namespace Gateway.Webhooks.Delivery;

/// <summary>How one post ended, as <see cref="WebhookPoster"/> classifies it.</summary>
/// <param name="Result">Delivered, refused for good, or given up on after retries.</param>
/// <param name="Reason">For a failure: what went wrong, in one line, without the URL (e.g. <c>HTTP 500 no_service</c>).</param>
/// <param name="Attempts">The HTTP attempts made.</param>
/// <param name="StatusCode">The destination's last status, when it answered.</param>
/// <param name="ResponseBody">The first characters of its answer, in one line, when it answered.</param>
internal sealed record DeliveryOutcome(DeliveryResult Result, string Reason, int Attempts, int? StatusCode = null, string ResponseBody = "")
{
    public static DeliveryOutcome Delivered(int attempts, int statusCode, string responseBody) =>
        new(DeliveryResult.Delivered, string.Empty, attempts, statusCode, responseBody);
}

/// <summary>The three ways a post ends.</summary>
internal enum DeliveryResult
{
    /// <summary>The destination answered 2xx.</summary>
    Delivered,

    /// <summary>The destination refused the post with a status that retrying cannot change (a 4xx other than 408 and 429).</summary>
    Rejected,

    /// <summary>Retries ran out: 5xx, 408, 429, timeouts, network errors.</summary>
    Failed,
}
