using System.Collections;
using Gateway.Scripting;

namespace Gateway.Tests.Scripting.Abstractions;

/// <summary><see cref="WebhookAlert.Fields"/> is a copy taken when it is set, read-only, in the order given.</summary>
public sealed class WebhookAlertTests
{
    [Fact]
    public void Fields_ChangedAfterTheAlertIsBuilt_AreNotChangedInTheAlert()
    {
        var fields = new Dictionary<string, string> { ["Route"] = "api", ["Status"] = "502" };
        var alert = new WebhookAlert("Down") { Fields = fields };

        fields["Route"] = "changed";
        fields["Added"] = "later";
        fields.Remove("Status");

        Assert.Equal([new("Route", "api"), new("Status", "502")], alert.Fields!.ToList());
    }

    [Fact]
    public void Fields_CannotBeChangedThroughACast()
    {
        var alert = new WebhookAlert("Down") { Fields = new Dictionary<string, string> { ["Route"] = "api" } };

        Assert.IsNotType<Dictionary<string, string>>(alert.Fields);
        Assert.Throws<NotSupportedException>(() => ((IDictionary<string, string>)alert.Fields!)["Route"] = "changed");
        Assert.Equal("api", alert.Fields!["Route"]);
    }

    [Fact]
    public void Fields_FromADictionaryThatChangesEveryTimeItIsRead_AreReadOnce()
    {
        var shifty = new ShiftyFields();
        var alert = new WebhookAlert("Down") { Fields = shifty };

        var first = alert.Fields!.ToList();
        var second = alert.Fields!.ToList();

        Assert.Equal(1, shifty.Enumerations);
        Assert.Equal(first, second);
        Assert.Equal(3, alert.Fields!.Count);
    }

    [Fact]
    public void With_KeepsTheSnapshot()
    {
        var alert = new WebhookAlert("Down") { Fields = new Dictionary<string, string> { ["Route"] = "api" } };

        var copy = alert with { Severity = AlertSeverity.Critical };

        Assert.Same(alert.Fields, copy.Fields);
        Assert.Null(new WebhookAlert("No fields").Fields);
    }

    // A script-made dictionary that misbehaves: its Count lies and each enumeration yields new values.
    private sealed class ShiftyFields : IReadOnlyDictionary<string, string>
    {
        public int Enumerations { get; private set; }

        public int Count => 0;

        public IEnumerable<string> Keys => this.Select(pair => pair.Key);

        public IEnumerable<string> Values => this.Select(pair => pair.Value);

        public string this[string key] => throw new KeyNotFoundException();

        public bool ContainsKey(string key) => false;

        public bool TryGetValue(string key, out string value)
        {
            value = string.Empty;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            var round = ++Enumerations;
            for (var i = 0; i < 3; i++)
            {
                yield return new($"field {i}", $"round {round}");
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
