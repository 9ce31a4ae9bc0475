using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Gateway.Benchmarks.Compilation;

/// <summary>
/// The child process of <see cref="ColdStartBenchmarks"/>: starts the real gateway with every transform in a folder
/// bound (one route each), waits until it listens, stops it and exits.
/// </summary>
internal static class ColdStartChild
{
    public const string Verb = "cold-start";

    /// <summary>How to start this program as the child, whether it runs as an apphost or as <c>dotnet x.dll</c>.</summary>
    public static ProcessStartInfo StartInfo(string transformsFolder)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown.");
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ColdStartChild).Assembly.Location);
        }

        start.ArgumentList.Add(Verb);
        start.ArgumentList.Add(transformsFolder);
        return start;
    }

    public static async Task<int> RunAsync(string transformsFolder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Gateway:Transforms:Path"] = transformsFolder,
            ["Gateway:Webhooks:Destinations:slack:Kind"] = "Slack",
        };
        var transforms = Directory.GetFiles(transformsFolder, "*.csx");
        for (var i = 0; i < transforms.Length; i++)
        {
            // A route of its own for each binding: a binding to a route YARP does not define fails start-up.
            settings[$"Gateway:Transforms:Routes:r{i}:Transforms:0"] = Path.GetFileName(transforms[i]);
            settings[$"ReverseProxy:Routes:r{i}:ClusterId"] = "upstream";
            settings[$"ReverseProxy:Routes:r{i}:Match:Path"] = $"/r{i}/{{**rest}}";
            settings["ReverseProxy:Clusters:upstream:Destinations:one:Address"] = "http://127.0.0.1:9/";
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = transformsFolder,
            EnvironmentName = "Benchmark",
            ApplicationName = "Gateway",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddGateway();
        await using var app = builder.Build();
        app.UseGateway();

        // Ready: hosted services have compiled the transforms, and the server listens.
        await app.StartAsync();
        await app.StopAsync();
        return 0;
    }
}
