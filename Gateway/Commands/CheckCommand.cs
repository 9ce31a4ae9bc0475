using Gateway.Scripting.Compilation;
using Gateway.Transforms;
using Microsoft.Extensions.Options;

namespace Gateway.Commands;

/// <summary>
/// <c>dotnet run --project Gateway -- check [folder]</c>: compiles every transform with exactly the gateway's
/// compiler and rules, and validates the configuration, without starting anything. Prints one
/// <c>file(line,col): error CODE: message</c> line per finding, then a summary; exits 1 on any error.
/// </summary>
internal static class CheckCommand
{
    public static int Run(IReadOnlyList<string> args, string contentRoot, TextWriter output)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = contentRoot, Args = [] });
        var configuration = builder.Configuration;
        var settingsFile = Path.Combine(contentRoot, "appsettings.json");
        var findings = new List<TransformDiagnostic>();
        void ConfigError(string code, string message) => findings.Add(new TransformDiagnostic(settingsFile, 1, 1, "error", code, message));

        // One validation path: the gateway is registered exactly as start-up registers it, and every section's
        // validators run through the same IStartupValidator that ValidateOnStart uses. Nothing is started.
        builder.AddGateway();
        using (var app = builder.Build())
        {
            try
            {
                app.Services.GetService<IStartupValidator>()?.Validate();
            }
            catch (Exception e) when (ConfigurationErrors.Describe(e) is { } problems)
            {
                foreach (var problem in problems)
                {
                    ConfigError("GW0003", problem);
                }
            }
        }

        TransformOptions options;
        try
        {
            options = configuration.GetSection(TransformOptions.Section).Get<TransformOptions>() ?? new TransformOptions();
        }
        catch (InvalidOperationException)
        {
            // Already reported above; the transforms are still compiled with the defaults.
            options = new TransformOptions();
        }

        var folder = Path.GetFullPath(args.Count > 0 ? args[0] : options.Path, args.Count > 0 ? Directory.GetCurrentDirectory() : contentRoot);
        if (!Directory.Exists(folder))
        {
            findings.Add(new TransformDiagnostic(folder, 1, 1, "error", "GW0007", $"The transforms folder {folder} does not exist."));
        }

        var clusters = configuration.GetSection("ReverseProxy:Clusters").GetChildren().Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var routes = configuration.GetSection("ReverseProxy:Routes").GetChildren().ToList();
        foreach (var route in routes)
        {
            var cluster = route["ClusterId"];
            if (string.IsNullOrEmpty(cluster) || !clusters.Contains(cluster))
            {
                ConfigError("GW0005", $"ReverseProxy:Routes:{route.Key} names cluster '{cluster}', which is not defined under ReverseProxy:Clusters.");
            }
        }

        // A binding to a route ReverseProxy:Routes does not define (once GW0006, a warning) is now an error of the
        // transforms' validator, reported above as GW0003, as start-up and reload refuse it.

        var compiler = new TransformCompiler(folder, options.Sandbox);
        var files = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.csx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray() : [];
        var compilations = files.AsParallel().AsOrdered().Select(file => compiler.CompileFile(file)).ToArray();
        findings.AddRange(compilations.SelectMany(c => c.Diagnostics));

        var names = compilations.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var bindings = options.Routes.Select(r => (Key: $"route '{r.Key}'", r.Value)).Prepend(("every route (Global)", options.Global));
        foreach (var (boundTo, binding) in bindings)
        {
            foreach (var missing in binding.Transforms.Where(t => !names.Contains(t)))
            {
                findings.Add(new TransformDiagnostic(Path.Combine(folder, missing), 1, 1, "error", "GW0002", $"Transform '{missing}' is bound to {boundTo} but there is no such file in {folder}."));
            }
        }

        foreach (var finding in findings)
        {
            output.WriteLine(finding);
        }

        var errors = findings.Count(f => f.IsError);
        output.WriteLine($"check: {compilations.Length} transforms in {folder}, {errors} errors, {findings.Count - errors} warnings.");
        return errors == 0 ? 0 : 1;
    }
}
