using System.Text.Json.Nodes;
using Gateway.Scripting.Execution;

namespace Gateway.Scripting.Testing;

/// <summary>What running a transform (or a chain) over a made-up termination produced.</summary>
public sealed class TransformRunResult
{
    internal TransformRunResult(ExitResponse response, IReadOnlyList<TransformFailure> failures, RecordingWebhookSender webhooks)
    {
        Response = response;
        Failures = failures;
        Webhooks = webhooks;
    }

    /// <summary>The response the gateway would write, before it decides <c>Content-Type</c> and framing.</summary>
    public ExitResponse Response { get; }

    /// <summary>The final status.</summary>
    public int Status => Response.Status;

    /// <summary>The final body as JSON, or <see langword="null"/>.</summary>
    public JsonNode? Body => Response.Body;

    /// <summary>The final body as compact JSON (<see cref="JsonNode.ToJsonString"/>), or <see langword="null"/> when there is no JSON body.</summary>
    public string? BodyJson => Response.Body?.ToJsonString();

    /// <summary>The final body as text when it is not JSON, or <see langword="null"/>.</summary>
    public string? Text => Response.Text;

    /// <summary>The final headers.</summary>
    public ResponseHeaders Headers => Response.Headers;

    /// <summary>
    /// The transforms that failed (threw, breached their budget): each was skipped, the response left as it was
    /// before it. Empty when every transform ran to the end.
    /// </summary>
    public IReadOnlyList<TransformFailure> Failures { get; }

    /// <summary>What the transforms queued through <c>Webhooks</c>, including those that later failed: a send is not undone.</summary>
    public RecordingWebhookSender Webhooks { get; }
}
