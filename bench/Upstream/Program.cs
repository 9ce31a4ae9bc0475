// A minimal Kestrel upstream for bench/load.sh: every request gets the same small JSON answer, 200, with a
// Content-Length. Listens where --urls says (the script passes http://127.0.0.1:<port>).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

var hello = """{"message":"Hello from the bench upstream"}"""u8.ToArray();
app.Run(context =>
{
    context.Response.ContentType = "application/json; charset=utf-8";
    context.Response.ContentLength = hello.Length;
    return context.Response.Body.WriteAsync(hello).AsTask();
});

await app.RunAsync();
