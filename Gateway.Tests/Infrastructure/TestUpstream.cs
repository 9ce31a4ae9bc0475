using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real Kestrel upstream: <c>/</c> echoes the request as JSON, <c>/slow?ms=</c> answers late,
/// <c>/big</c> streams 10 MB in chunks and waits, after the first one, until the test says the client has it.
/// Its own errors, for the transforms to see:
/// <list type="bullet">
/// <item><c>/errors/html-500</c>: a 500 HTML page with a stack trace (<see cref="StackTraceMarker"/>).</item>
/// <item><c>/errors/json-404</c>: a 404 with <see cref="NotFoundJson"/> and a Content-Length, for any method (HEAD too).</item>
/// <item><c>/errors/gzip-503</c>: a 503 JSON body (<see cref="UnavailableJson"/>) sent gzip-encoded (<see cref="UnavailableGzip"/>).</item>
/// <item><c>/errors/text-503</c>: a 503 in plain text (<see cref="MaintenanceText"/>).</item>
/// <item><c>/errors/big-500?declared=</c>: a 5 MB 500 (<see cref="BigErrorBody"/>), with a Content-Length or chunked.</item>
/// <item><c>/errors/status/N</c>: status N with <c>{"message": "upstream N"}</c> (a 3xx carries <c>Location: /elsewhere</c>).</item>
/// <item><c>/events?status=N</c>: an event stream with status N (default 200): event one, then, once the test says
/// the client has it (<see cref="FirstEventSeenByClient"/>), event two.</item>
/// </list>
/// </summary>
internal sealed class TestUpstream : IAsyncDisposable
{
    public const int BigBodyBytes = 10 * 1024 * 1024;
    public const int BigChunkBytes = 64 * 1024;
    public const int BigErrorBytes = 5 * 1024 * 1024;
    public const string StackTraceMarker = "at Billing.ChargeService.Charge(Order order) in /srv/billing/ChargeService.cs:line 42";
    public const string NotFoundJson = """{"error":"order not found","orderId":42}""";
    public const string UnavailableJson = """{"message":"database is down","retryInSeconds":30}""";
    public const string MaintenanceText = "Down for maintenance until 12:00";
    public const string EventOne = "data: one\n\n";
    public const string EventTwo = "data: two\n\n";

    private readonly WebApplication _app;

    private TestUpstream(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Set by the test once the client has read the first chunk of <c>/big</c>; the upstream waits for it.</summary>
    public TaskCompletionSource FirstChunkSeenByClient { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set by the test once the client has read event one of <c>/events</c>; the upstream waits for it.</summary>
    public TaskCompletionSource FirstEventSeenByClient { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static byte[] BigBody { get; } = MakeBigBody();

    public static byte[] BigErrorBody { get; } = BigBody.AsSpan(0, BigErrorBytes).ToArray();

    public static byte[] UnavailableGzip { get; } = Gzip(UnavailableJson);

    public static string StackTracePage { get; } =
        $"<!DOCTYPE html><html><body><h1>Unhandled exception</h1><pre>System.InvalidOperationException: card declined\n   {StackTraceMarker}</pre></body></html>";

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
            MapErrors(app, () => upstream!);
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

    private static void MapErrors(WebApplication app, Func<TestUpstream> self)
    {
        app.MapGet("/errors/html-500", () => Results.Content(StackTracePage, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status500InternalServerError));
        app.Map("/errors/json-404", (HttpContext context) => WriteAsync(context, StatusCodes.Status404NotFound, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(NotFoundJson)));
        app.Map("/errors/text-503", (HttpContext context) => WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(MaintenanceText)));
        app.Map("/errors/gzip-503", (HttpContext context) =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            return WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "application/json", UnavailableGzip);
        });
        app.Map("/errors/status/{code:int}", (HttpContext context, int code) =>
        {
            if (code is >= 300 and < 400)
            {
                context.Response.Headers.Location = "/elsewhere";
            }

            if (code is StatusCodes.Status204NoContent or StatusCodes.Status304NotModified)
            {
                context.Response.StatusCode = code;
                return Task.CompletedTask;
            }

            return WriteAsync(context, code, "application/json; charset=utf-8", Encoding.UTF8.GetBytes($$"""{"message":"upstream {{code}}"}"""));
        });
        app.MapGet("/errors/big-500", async (HttpContext context, bool? declared) =>
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "application/octet-stream";
            if (declared == true)
            {
                context.Response.ContentLength = BigErrorBytes;
            }

            for (var offset = 0; offset < BigErrorBytes; offset += BigChunkBytes)
            {
                await context.Response.Body.WriteAsync(BigErrorBody.AsMemory(offset, Math.Min(BigChunkBytes, BigErrorBytes - offset)));
            }
        });
        app.MapGet("/events", async (HttpContext context, int? status) =>
        {
            context.Response.StatusCode = status ?? StatusCodes.Status200OK;
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(EventOne);
            await context.Response.Body.FlushAsync();

            // A gateway that buffered the stream would never deliver event one on its own.
            await self().FirstEventSeenByClient.Task.WaitAsync(TimeSpan.FromSeconds(30), context.RequestAborted);
            await context.Response.WriteAsync(EventTwo);
        });
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static byte[] MakeBigBody()
    {
        var bytes = new byte[BigBodyBytes];
        new Random(42).NextBytes(bytes);
        return bytes;
    }
}
