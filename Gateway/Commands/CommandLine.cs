using System.Reflection;

namespace Gateway.Commands;

/// <summary>What the gateway's command line accepts: the commands, <c>--help</c> and <c>--version</c>.</summary>
internal static class CommandLine
{
    public const string Usage = """
        usage: Gateway [command] [settings]

        commands:
          (none)                     serve: the proxy on Urls (default http://localhost:8000) and the management
                                     listener on Gateway:Management:Urls (default http://localhost:8100)
          check [folder]             compile every transform and validate every configuration section with the
                                     gateway's own rules; print file(line,col): error CODE: message; exit 1 on errors
          try <file.csx> --status N  run one transform on a made-up termination and print the result
                [--body JSON] [--header name:value]... [--route id] [--method M] [--path /p] [--upstream]
          webhook-test [destination] send one test message through the real delivery pipeline and print the answer
          --help, -h                 this text
          --version                  the gateway's version

        settings: any configuration key, as --Key=value or Key=value (for example --Urls=http://0.0.0.0:8000),
        or as an environment variable with __ for ':' (Gateway__Management__Urls=http://0.0.0.0:8100).
        exit codes: 0 ok, 1 errors (configuration, transforms, start-up), 2 bad command line.
        """;

    /// <summary>The gateway's version: its informational version, with the commit when the build knew it.</summary>
    public static string Version =>
        typeof(CommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(CommandLine).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>
    /// Whether <paramref name="first"/> names a command the gateway does not have. Settings (<c>--Key=value</c>,
    /// <c>--Key value</c>, <c>Key=value</c>) are not commands.
    /// </summary>
    public static bool IsUnknownCommand(string first) =>
        !first.StartsWith('-') && !first.Contains('=', StringComparison.Ordinal) && first is not ("check" or "try" or "webhook-test");
}
