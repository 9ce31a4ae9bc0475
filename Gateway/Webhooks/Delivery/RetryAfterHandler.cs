using System.Net;

namespace Gateway.Webhooks.Delivery;

/// <summary>
/// Inside a destination's Polly pipeline, so that it sees every attempt: a 429 with <c>Retry-After</c> pauses the
/// destination through <see cref="WebhookPacing"/> (for the whole fleet when Redis is on) before the retry strategy
/// waits it out. Slack disables apps that keep posting through a 429.
/// </summary>
internal sealed class RetryAfterHandler(string destination, WebhookPacing pacing, TimeProvider time) : DelegatingHandler
{
    // A Retry-After beyond this is taken as this: a broken header must not silence a destination for days.
    private static readonly TimeSpan MaxPause = TimeSpan.FromMinutes(15);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests && RetryAfter(response) is { } pause)
        {
            await pacing.PauseAsync(destination, pause, cancellationToken);
        }

        return response;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var delay = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return delay is { } value && value > TimeSpan.Zero ? (value < MaxPause ? value : MaxPause) : null;
    }
}
