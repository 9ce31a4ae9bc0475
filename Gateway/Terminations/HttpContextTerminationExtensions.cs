using Gateway.Scripting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Terminations;

/// <summary>How each stage of the pipeline ends a request: it records why, and the exit middleware answers.</summary>
internal static class HttpContextTerminationExtensions
{
    /// <summary>Ends the request with <paramref name="status"/>; the body is written after transforms have run.</summary>
    public static void Terminate(this HttpContext context, TerminationKind kind, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Features.Set(new TerminationFeature(new Termination(kind, status, message)));
    }
}
