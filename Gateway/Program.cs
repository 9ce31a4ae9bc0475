using Gateway.Commands;
using Gateway.Transforms;
using Serilog;

if (args is ["check", .. var checkArgs])
{
    return CheckCommand.Run(checkArgs, Directory.GetCurrentDirectory(), Console.Out);
}

if (args is ["try", .. var tryArgs])
{
    return await TryCommand.RunAsync(tryArgs, Directory.GetCurrentDirectory(), Console.Out);
}

if (args is ["webhook-test", .. var webhookTestArgs])
{
    return await WebhookTestCommand.RunAsync(webhookTestArgs, Directory.GetCurrentDirectory(), Console.Out);
}

Log.Logger = new LoggerConfiguration().WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateBootstrapLogger();
try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddGateway();
    var app = builder.Build();
    app.UseGateway();
    await app.RunAsync();
    return 0;
}
catch (TransformLoadException e)
{
    // One line per error, in the file(line,col): error CODE: message form editors and CI parse.
    foreach (var error in e.Errors)
    {
        Console.Error.WriteLine(error);
    }

    Log.Fatal("The gateway did not start: {ErrorCount} transform errors", e.Errors.Count);
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
