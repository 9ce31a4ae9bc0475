using System.Globalization;
using System.Text.RegularExpressions;

namespace Gateway.Tests.Management;

/// <summary>A scrape of <c>/metrics</c>, parsed into samples: name, labels and value (Prometheus text format 0.0.4).</summary>
internal sealed partial class PrometheusText
{
    private PrometheusText(IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> samples, string text)
    {
        Samples = samples;
        Text = text;
    }

    public IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> Samples { get; }

    public string Text { get; }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            samples.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return new PrometheusText(samples, text);
    }

    /// <summary>The value of the one sample named <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    public double Value(string name, params (string Label, string Value)[] labels)
    {
        var matching = Matching(name, labels);
        Assert.True(matching.Count == 1, $"{matching.Count} samples of {name} match {string.Join(", ", labels)}:\n{string.Join("\n", Text.Split('\n').Where(l => l.StartsWith(name, StringComparison.Ordinal)))}");
        return matching[0].Value;
    }

    public List<(string Name, Dictionary<string, string> Labels, double Value)> Matching(string name, params (string Label, string Value)[] labels) =>
        [.. Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value))];

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)( \d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"?""")]
    private static partial Regex LabelPair();
}
