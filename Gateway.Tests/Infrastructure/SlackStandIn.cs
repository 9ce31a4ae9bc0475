using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Infrastructure;

/// <summary>A loopback HTTP server playing a Slack incoming webhook: it records each post, and can hang.</summary>
internal sealed class SlackStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<string> _posts;
    private readonly CancellationTokenSource _stopping = new();

    private SlackStandIn(WebApplication app, Uri address, Channel<string> posts)
    {
        _app = app;
        Url = new Uri(address, "/services/T000/B000/secret-token");
        _posts = posts;
    }

    /// <summary>The webhook URL, with a secret-looking path like Slack's.</summary>
    public Uri Url { get; }

    /// <summary>When set, every post is accepted and then never answered.</summary>
    public bool Hang { get; set; }

    public ConcurrentQueue<string> Received { get; } = new();

    public static async Task<SlackStandIn> StartAsync()
    {
        var posts = Channel.CreateUnbounded<string>();
        SlackStandIn? slack = null;
        var (app, address) = await LoopbackServer.StartAsync(app => app.MapPost("/services/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            slack!.Received.Enqueue(body);
            posts.Writer.TryWrite(body);
            if (slack.Hang)
            {
                await Task.Delay(Timeout.Infinite, slack._stopping.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                return Results.Empty;
            }

            return Results.Text("ok");
        }));
        slack = new SlackStandIn(app, address, posts);
        return slack;
    }

    /// <summary>The next post's body, waiting up to <paramref name="timeout"/> for it.</summary>
    public async Task<string> NextPostAsync(TimeSpan? timeout = null) =>
        await _posts.Reader.ReadAsync().AsTask().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
