using System.Text.Json.Nodes;

namespace Gateway.Exits;

/// <summary>An upstream's error body as the transforms see it: as JSON, as text, or not at all, and why.</summary>
/// <param name="Outcome">What became of the body.</param>
/// <param name="Json">The body parsed as JSON, for <c>Body</c>.</param>
/// <param name="Text">The body as text when it is not JSON, for <c>Text</c>.</param>
internal readonly record struct UpstreamBodyView(UpstreamBodyOutcome Outcome, JsonNode? Json, string? Text)
{
    public static UpstreamBodyView Without(UpstreamBodyOutcome outcome) => new(outcome, null, null);
}
