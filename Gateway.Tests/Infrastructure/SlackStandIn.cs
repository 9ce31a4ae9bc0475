using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP server playing a Slack incoming webhook (or any JSON webhook): it records each post, with the time
/// it arrived, and answers it as told: 200, 429 with <c>Retry-After</c>, 500, 400 with Slack's error code, slowly,
/// never, or by resetting the connection.
/// </summary>
internal sealed class SlackStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<string> _posts;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<SlackAnswer> _answers = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private SlackStandIn(WebApplication app, Uri address, Channel<string> posts)
    {
        _app = app;
        Url = new Uri(address, "/services/T000/B000/secret-token");
        _posts = posts;
    }

    /// <summary>The webhook URL, with a secret-looking path like Slack's.</summary>
    public Uri Url { get; }

    /// <summary>When set, every post without a queued answer is accepted and then never answered.</summary>
    public bool Hang { get; set; }

    /// <summary>The answer to posts without a queued one, unless <see cref="Hang"/> is set. <see cref="SlackAnswer.Ok"/> at first.</summary>
    public SlackAnswer Default { get; set; } = SlackAnswer.Ok;

    /// <summary>
    /// Slack's rate, when set: a token bucket of <c>Burst</c> posts refilled at <c>PerSecond</c>; a post that finds it
    /// empty (and has no queued answer) gets 429 with <c>Retry-After: 1</c>.
    /// </summary>
    public (double PerSecond, int Burst)? Rate { get; set; }

    /// <summary>The bodies of every post, in order of arrival.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>Every post, with when it arrived and how it was answered.</summary>
    public ConcurrentQueue<SlackPost> Posts { get; } = new();

    public static async Task<SlackStandIn> StartAsync()
    {
        var posts = Channel.CreateUnbounded<string>();
        SlackStandIn? slack = null;
        var (app, address) = await LoopbackServer.StartAsync(app => app.MapPost("/services/{**path}", (Delegate)((HttpContext context) => slack!.AnswerAsync(context))));
        slack = new SlackStandIn(app, address, posts);
        return slack;
    }

    /// <summary>Answers the next posts with <paramref name="answers"/>, in order; later ones get <see cref="Default"/>.</summary>
    public void Answer(params SlackAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _answers.Enqueue(answer);
        }
    }

    /// <summary>The next post's body, waiting up to <paramref name="timeout"/> for it.</summary>
    public async Task<string> NextPostAsync(TimeSpan? timeout = null) =>
        await _posts.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>Waits until at least <paramref name="count"/> posts have arrived, and returns them.</summary>
    public async Task<IReadOnlyList<SlackPost>> WaitForPostsAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (Posts.Count < count)
        {
            if (deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new TimeoutException($"{Posts.Count} posts arrived, not {count}.");
            }

            await Task.Delay(10);
        }

        return [.. Posts];
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private double _tokens = double.NaN;
    private TimeSpan _refilledAt;

    private bool OverRate()
    {
        if (Rate is not { } rate)
        {
            return false;
        }

        lock (_answers)
        {
            var now = _clock.Elapsed;
            _tokens = double.IsNaN(_tokens) ? rate.Burst : Math.Min(rate.Burst, _tokens + ((now - _refilledAt).TotalSeconds * rate.PerSecond));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return true;
            }

            _tokens--;
            return false;
        }
    }

    private async Task<IResult> AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var answer = _answers.TryDequeue(out var queued) ? queued : OverRate() ? SlackAnswer.TooManyRequests(1) : Hang ? SlackAnswer.Hang : Default;
        Posts.Enqueue(new SlackPost(body, _clock.Elapsed, answer));
        Received.Enqueue(body);
        _posts.Writer.TryWrite(body);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        switch (answer.Kind)
        {
            case SlackAnswer.Kinds.Hang:
                await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.Empty;
            case SlackAnswer.Kinds.Reset:
                context.Abort();
                return Results.Empty;
            default:
                if (answer.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(answer.Delay, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                if (answer.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                return Results.Text(answer.Body, "text/plain", statusCode: answer.Status);
        }
    }
}
