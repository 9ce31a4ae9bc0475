using Gateway.Commands;
using Gateway.Transforms;
using Serilog;

switch (args)
{
    case ["--help" or "-h" or "help", ..]:
        Console.Out.WriteLine(CommandLine.Usage);
        return 0;
    case ["--version", ..]:
        Console.Out.WriteLine(CommandLine.Version);
        return 0;
    case ["check", .. var checkArgs]:
        return CheckCommand.Run(checkArgs, Directory.GetCurrentDirectory(), Console.Out);
    case ["try", .. var tryArgs]:
        return await TryCommand.RunAsync(tryArgs, Directory.GetCurrentDirectory(), Console.Out);
    case ["webhook-test", .. var webhookTestArgs]:
        return await WebhookTestCommand.RunAsync(webhookTestArgs, Directory.GetCurrentDirectory(), Console.Out);
    case [var first, ..] when CommandLine.IsUnknownCommand(first):
        Console.Error.WriteLine($"unknown command '{first}'");
        Console.Error.WriteLine(CommandLine.Usage);
        return 2;
}

Log.Logger = new LoggerConfiguration().WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddGateway();
    var app = builder.Build();

    // Every section's validators at once, before any service reads its options (the host would otherwise stop at
    // the first section a constructor reads): the same IStartupValidator that check runs.
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
    app.UseGateway();
    await app.RunAsync();
    return 0;
}
catch (TransformCatalogException e)
{
    // One line per error, in the file(line,col): error CODE: message form editors and CI parse.
    foreach (var error in e.Errors)
    {
        Console.Error.WriteLine(error);
    }

    Log.Fatal("The gateway did not start: {ErrorCount} transform errors", e.Errors.Count);
    return 1;
}
catch (Exception e) when (ConfigurationErrors.Describe(e) is { } problems)
{
    // One line per problem, naming its key; no stack trace: nothing in the code is wrong.
    foreach (var problem in problems)
    {
        Console.Error.WriteLine(problem);
    }

    Log.Fatal("The gateway did not start: {ErrorCount} configuration errors", problems.Count);
    return 1;
}
catch (Exception e) when (e is not HostAbortedException)
{
    Log.Fatal(e, "The gateway did not start");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>The gateway's entry point.</summary>
public partial class Program;
