using Gateway.Scripting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Terminations;

/// <summary>How each stage of the pipeline ends a request: it records why, and the exit middleware answers.</summary>
internal static class HttpContextTerminationExtensions
{
    /// <summary>Ends the request as <paramref name="termination"/> says; the body is written after transforms have run.</summary>
    public static void Terminate(this HttpContext context, GatewayTermination termination)
    {
        context.Response.StatusCode = termination.Status;
        context.Features.Set(new TerminationFeature(termination));
    }

    /// <summary>
    /// Ends the request with the row of <see cref="GatewayTerminations"/> that has this kind, status and message. A
    /// shim for <c>Gateway/RateLimiting</c> (see <see cref="TerminationMessages"/>); new call sites name the row.
    /// </summary>
    public static void Terminate(this HttpContext context, TerminationKind kind, int status, string message) =>
        context.Terminate(
            GatewayTerminations.All.FirstOrDefault(t => t.Kind == kind && t.Status == status && t.Message == message)
            ?? new GatewayTermination(kind, status, message, GatewayTerminations.TitleOf(status)));
}
