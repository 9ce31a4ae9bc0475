using System.Reflection;
using Gateway.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Hosting;

/// <summary>Every log message the gateway writes has an id of its own, declared in <see cref="EventIds"/>.</summary>
public sealed class EventIdsTests
{
    // Folders other branches are changing: they still write their ids in place (see EventIds' remarks).
    private static readonly string[] IdsInPlace = [];

    private static IEnumerable<(string Name, int Id)> Declared =>
        typeof(EventIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (f.Name, (int)f.GetRawConstantValue()!));

    private static IEnumerable<(string Method, int Id)> Logged =>
        typeof(EventIds).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => ($"{x.Method.DeclaringType!.FullName}.{x.Method.Name}", x.Attribute!.EventId));

    [Fact]
    public void EventIds_AreUnique()
    {
        var repeated = Declared.GroupBy(d => d.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => d.Name))}");

        Assert.Empty(repeated);
    }

    [Fact]
    public void LoggerMessages_UseEachIdOnce()
    {
        var logged = Logged.ToList();
        var repeated = logged.GroupBy(l => l.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(l => l.Method))}");

        Assert.NotEmpty(logged);
        Assert.Empty(repeated);
    }

    [Fact]
    public void LoggerMessages_TakeTheirIdsFromEventIds()
    {
        var declared = Declared.Select(d => d.Id).ToHashSet();

        var undeclared = Logged
            .Where(l => !IdsInPlace.Any(ns => l.Method.StartsWith(ns + ".", StringComparison.Ordinal)))
            .Where(l => !declared.Contains(l.Id))
            .Select(l => $"{l.Method}: {l.Id}");

        Assert.Empty(undeclared);
    }
}
