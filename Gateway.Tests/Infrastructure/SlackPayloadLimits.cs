using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Checks a post against Slack's documented limits for an incoming webhook: at most 50 blocks (top level and
/// attachments together), 40,000 characters of text (all of it, to be safe: the top-level text and every block's),
/// a header of 150, a section text of 3,000, 10 fields per section of 2,000 each.
/// </summary>
internal static class SlackPayloadLimits
{
    public static void AssertWithin(string body)
    {
        var post = JsonNode.Parse(body)!.AsObject();
        var blocks = (post["blocks"]?.AsArray() ?? []).Concat((post["attachments"]?.AsArray() ?? []).SelectMany(a => a!["blocks"]?.AsArray() ?? [])).ToList();
        Assert.True(blocks.Count <= 50, $"{blocks.Count} blocks");

        var text = ((string?)post["text"])?.Length ?? 0;
        foreach (var block in blocks)
        {
            switch ((string?)block!["type"])
            {
                case "header":
                    var header = (string)block["text"]!["text"]!;
                    Assert.True(header.Length <= 150, $"a header of {header.Length} characters");
                    text += header.Length;
                    break;
                case "section":
                    var section = ((string?)block["text"]?["text"])?.Length ?? 0;
                    Assert.True(section <= 3_000, $"a section of {section} characters");
                    var fields = block["fields"]?.AsArray() ?? [];
                    Assert.True(fields.Count <= 10, $"a section of {fields.Count} fields");
                    Assert.All(fields, field => Assert.True(((string)field!["text"]!).Length <= 2_000));
                    text += section + fields.Sum(field => ((string)field!["text"]!).Length);
                    break;
                case "context":
                    var elements = block["elements"]!.AsArray();
                    Assert.True(elements.Count <= 10, $"a context of {elements.Count} elements");
                    text += elements.Sum(element => ((string?)element!["text"])?.Length ?? 0);
                    break;
                default:
                    Assert.Fail($"unexpected block type {(string?)block["type"]}");
                    break;
            }
        }

        Assert.True(text <= 40_000, $"{text} characters of text");
    }
}
