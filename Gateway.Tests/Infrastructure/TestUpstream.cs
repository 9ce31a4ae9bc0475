using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real Kestrel upstream: <c>/</c> echoes the request as JSON, <c>/slow?ms=</c> answers late,
/// <c>/big</c> streams 10 MB in chunks and waits, after the first one, until the test says the client has it.
/// </summary>
internal sealed class TestUpstream : IAsyncDisposable
{
    public const int BigBodyBytes = 10 * 1024 * 1024;
    public const int BigChunkBytes = 64 * 1024;

    private readonly WebApplication _app;

    private TestUpstream(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Set by the test once the client has read the first chunk of <c>/big</c>; the upstream waits for it.</summary>
    public TaskCompletionSource FirstChunkSeenByClient { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static byte[] BigBody { get; } = MakeBigBody();

    public static async Task<TestUpstream> StartAsync()
    {
        TestUpstream? upstream = null;
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/slow", async (int? ms, CancellationToken aborted) =>
            {
                await Task.Delay(ms ?? 5000, aborted);
                return Results.Json(new { message = "late" });
            });
            app.MapGet("/big", async (HttpContext context) =>
            {
                context.Response.ContentType = "application/octet-stream";
                var body = context.Response.Body;
                await body.WriteAsync(BigBody.AsMemory(0, BigChunkBytes));
                await body.FlushAsync();

                // A gateway that buffered the response would never deliver this first chunk on its own.
                await upstream!.FirstChunkSeenByClient.Task.WaitAsync(TimeSpan.FromSeconds(30));
                for (var offset = BigChunkBytes; offset < BigBody.Length; offset += BigChunkBytes)
                {
                    await body.WriteAsync(BigBody.AsMemory(offset, Math.Min(BigChunkBytes, BigBody.Length - offset)));
                }
            });
            app.Map("/{**path}", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                await context.Response.WriteAsJsonAsync(new
                {
                    method = context.Request.Method,
                    path = context.Request.Path.Value,
                    query = context.Request.QueryString.Value,
                    headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()),
                    bodyLength = body.Length,
                });
            });
        });
        upstream = new TestUpstream(app, address);
        return upstream;
    }

    public static JsonElement Echo(string json) => JsonDocument.Parse(json).RootElement;

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static byte[] MakeBigBody()
    {
        var bytes = new byte[BigBodyBytes];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
