using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Polly;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Gateway.Webhooks.Delivery;

/// <summary>
/// Posts one body to one destination through its own HTTP client and Polly pipeline (retries, rate limit, attempt
/// timeout), and classifies how it ended. Cancellation by the drain deadline is the one thing it throws.
/// </summary>
internal sealed class WebhookPoster(string destination, Uri url, TimeSpan attemptTimeout, IHttpClientFactory clients)
{
    private const int MaxLoggedBodyLength = 200;

    /// <param name="body">What to post.</param>
    /// <param name="turn">The rate-limit token the delivery loop took for the first attempt; retries take their own.</param>
    /// <param name="abort">The drain deadline.</param>
    public async Task<DeliveryOutcome> PostAsync(JsonNode body, RateLimitLease? turn, CancellationToken abort)
    {
        var context = ResilienceContextPool.Shared.Get(abort);
        try
        {
            if (turn is not null)
            {
                WebhookPacing.Prepay(context, turn);
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.SetResilienceContext(context);
            using var response = await clients.CreateClient(WebhookHttpClients.NameOf(destination)).SendAsync(request, abort);
            var answer = OneLine(await response.Content.ReadAsStringAsync(abort));
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return DeliveryOutcome.Delivered(WebhookAttempts.Of(context), status, answer);
            }

            var reason = $"HTTP {status} {answer}".TrimEnd();
            return new DeliveryOutcome(IsRetried(response.StatusCode) ? DeliveryResult.Failed : DeliveryResult.Rejected, reason, WebhookAttempts.Of(context), status, answer);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException)
        {
            return Failed(FormattableString.Invariant($"no answer within {attemptTimeout}"), context);
        }
        catch (HttpRequestException e)
        {
            return Failed($"{e.HttpRequestError}: {WebhookUrlRedactor.Redact(e.InnerException?.Message ?? e.Message, url)}", context);
        }
        catch (RateLimiterRejectedException)
        {
            return Failed("the rate limiter refused the attempt", context);
        }
#pragma warning disable CA1031 // The delivery loop must survive anything one post throws; the outcome says what it was.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Failed($"{e.GetType().Name}: {WebhookUrlRedactor.Redact(e.Message, url)}", context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // The same predicate as the retry strategy's: these were retried, and have now run out of retries.
    private static bool IsRetried(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static DeliveryOutcome Failed(string reason, ResilienceContext context) =>
        new(DeliveryResult.Failed, reason, WebhookAttempts.Of(context));

    private static string OneLine(string body)
    {
        var line = body.ReplaceLineEndings(" ").Trim();
        return line.Length > MaxLoggedBodyLength ? line[..MaxLoggedBodyLength] + "…" : line;
    }
}
