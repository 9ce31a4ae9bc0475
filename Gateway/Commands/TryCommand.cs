using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Scripting;
using Gateway.Scripting.Execution;
using Gateway.Scripting.Testing;
using Gateway.Transforms;

namespace Gateway.Commands;

/// <summary>
/// <c>dotnet run --project Gateway -- try &lt;file.csx&gt; --status N [--body JSON] [--header name:value]...
/// [--route id] [--method M] [--path /p] [--upstream]</c>: runs one transform on a made-up termination, with
/// the gateway's compiler, sandbox and budget, and prints the resulting response and the webhook messages it
/// queued. Nothing is sent. Exits 1 when the transform does not load or fails.
/// </summary>
internal static class TryCommand
{
    public const string Usage =
        "usage: try <file.csx> --status N [--body JSON] [--header name:value]... [--route id] [--method M] [--path /p] [--upstream]";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, string contentRoot, TextWriter output)
    {
        if (!TryParse(args, out var file, out var input, out var problem))
        {
            output.WriteLine(problem);
            output.WriteLine(Usage);
            return 2;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, Args = [] });
        var options = builder.Configuration.GetSection(TransformOptions.Section).Get<TransformOptions>() ?? new TransformOptions();
        var path = Path.GetFullPath(file, Directory.GetCurrentDirectory());
        if (!File.Exists(path))
        {
            output.WriteLine($"try: {path} does not exist.");
            return 1;
        }

        LoadedTransform transform;
        try
        {
            transform = TransformLoader.Load(path, new TransformLoaderOptions { Sandbox = options.Sandbox, Budget = options.Budget });
        }
        catch (Scripting.Testing.TransformLoadException e)
        {
            output.WriteLine(e.Message);
            return 1;
        }

        var result = await transform.RunAsync(input);
        output.WriteLine($"Status: {result.Status}");
        output.WriteLine("Headers:");
        foreach (var (name, value) in result.Headers)
        {
            output.WriteLine($"  {name}: {value}");
        }

        output.WriteLine("Body:");
        output.WriteLine(result.Body is { } body ? body.ToJsonString(Indented) : result.Text ?? "(none)");
        output.WriteLine("Webhooks (queued, not sent):");
        foreach (var webhook in result.Webhooks.Sent)
        {
            output.WriteLine($"  {webhook}");
        }

        foreach (var failure in result.Failures)
        {
            output.WriteLine($"{failure} ({failure.Kind}): the response above is as it stood before this transform.");
        }

        return result.Failures.Count == 0 ? 0 : 1;
    }

    private static bool TryParse(IReadOnlyList<string> args, out string file, out Termination input, out string problem)
    {
        file = string.Empty;
        input = Termination.Gateway(500, string.Empty);
        problem = string.Empty;
        int? status = null;
        string? body = null;
        var upstream = false;
        var headers = new List<(string, string)>();
        string? route = null, method = null, requestPath = null;
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--status": status = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                    case "--body": body = Next(); break;
                    case "--header":
                        var header = Next().Split(':', 2);
                        if (header.Length != 2)
                        {
                            throw new ArgumentException("--header takes name:value");
                        }

                        headers.Add((header[0].Trim(), header[1].Trim()));
                        break;
                    case "--route": route = Next(); break;
                    case "--method": method = Next(); break;
                    case "--path": requestPath = Next(); break;
                    case "--upstream": upstream = true; break;
                    case var value when !value.StartsWith("--", StringComparison.Ordinal) && file.Length == 0: file = value; break;
                    default: throw new ArgumentException($"unknown argument '{args[i]}'");
                }
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                problem = e.Message;
                return false;
            }
        }

        if (file.Length == 0 || status is not (>= 100 and <= 599))
        {
            problem = file.Length == 0 ? "a .csx file is required" : "--status N (100-599) is required";
            return false;
        }

        // The message the gateway itself would give a termination with this status; any other status came from the upstream.
        input = !upstream && GatewayTerminations.TryOf(status.Value, out var termination) ? Termination.Gateway(termination) : Termination.Upstream(status.Value);
        if (body is not null)
        {
            input = IsJson(body) ? input.WithJson(body) : input.WithText(body);
        }

        input = input.WithRequest(method: method, path: requestPath).WithRoute(route);
        foreach (var (name, value) in headers)
        {
            input = input.WithHeader(name, value);
        }

        return true;
    }

    private static bool IsJson(string text)
    {
        try
        {
            return JsonNode.Parse(text) is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
