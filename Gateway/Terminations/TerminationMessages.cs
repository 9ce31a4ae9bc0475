using Gateway.Scripting;

namespace Gateway.Terminations;

/// <summary>
/// A shim for <c>Gateway/RateLimiting</c>, which another branch is changing: it still ends a request by kind, status
/// and message. The messages live in <see cref="GatewayTerminations"/>; remove this type once that call site reads
/// <c>context.Terminate(GatewayTerminations.RateLimited)</c>.
/// </summary>
internal static class TerminationMessages
{
    /// <summary><see cref="GatewayTerminations.RateLimited"/>'s message.</summary>
    public static string RateLimited => GatewayTerminations.RateLimited.Message;
}
