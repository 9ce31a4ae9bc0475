using Gateway.Isolation;

namespace Gateway.Transforms;

/// <summary>
/// The <c>Gateway:Transforms</c> keys that are read once, at start-up, and why: each is one entry here (its key,
/// how to read it, how to keep the value in effect). Every other key reloads live (README: "Which settings reload").
/// </summary>
internal static class TransformRestartKeys
{
    private static readonly Key[] Always =
    [
        // The compiler, the watcher and the transform hosts are rooted in the folder.
        new("Path", o => o.Path, (to, from) => to.Path = from.Path),

        // Which runner serves is decided when services are registered.
        new("Isolation", o => o.Isolation.ToString(), (to, from) => to.Isolation = from.Isolation),

        // Widening the allow-list live would recompile under new rules, and narrowing it would leave last good
        // versions compiled under the old ones serving: a restart makes every transform pass the same rules.
        new("Sandbox", o => string.Join(",", o.Sandbox.AllowedTypes) + ";" + string.Join(",", o.Sandbox.AllowedNamespaces), (to, from) => to.Sandbox = from.Sandbox),

        // The compiler is chosen at the first compile.
        new("Compiler:Isolation", o => o.Compiler.Isolation.ToString(), (to, from) => to.Compiler.Isolation = from.Compiler.Isolation),
        new("Compiler:Cache:Enabled", o => o.Compiler.Cache.Enabled.ToString(), (to, from) => to.Compiler.Cache.Enabled = from.Compiler.Cache.Enabled),
        new("Compiler:Cache:Path", o => o.Compiler.Cache.Path, (to, from) => to.Compiler.Cache.Path = from.Compiler.Cache.Path),

        // The file provider is built once, in one mode.
        new("Reload:UsePolling", o => o.Reload.UsePolling?.ToString() ?? string.Empty, (to, from) => to.Reload.UsePolling = from.Reload.UsePolling),

        // Hosts are started with them; their progress slots are sized by MaxCallsPerHost.
        new("Hosts:Count", o => Text(o.Hosts.Count), (to, from) => to.Hosts.Count = from.Hosts.Count),
        new("Hosts:MemoryLimitMegabytes", o => Text(o.Hosts.MemoryLimitMegabytes), (to, from) => to.Hosts.MemoryLimitMegabytes = from.Hosts.MemoryLimitMegabytes),
        new("Hosts:MaxCallsPerHost", o => Text(o.Hosts.MaxCallsPerHost), (to, from) => to.Hosts.MaxCallsPerHost = from.Hosts.MaxCallsPerHost),

        // The quarantine's window is built once, on the first breach.
        new("Budget:QuarantineAfter", o => Text(o.Budget.QuarantineAfter), (to, from) => to.Budget.QuarantineAfter = from.Budget.QuarantineAfter),
        new("Budget:QuarantineWindow", o => Text(o.Budget.QuarantineWindow), (to, from) => to.Budget.QuarantineWindow = from.Budget.QuarantineWindow),
    ];

    // In transform hosts each call carries the budget in effect; the in-process runner is built with it.
    private static readonly Key[] InProcessBudget =
    [
        new("Budget:WallTime", o => Text(o.Budget.WallTime), (to, from) => to.Budget.WallTime = from.Budget.WallTime),
        new("Budget:Grace", o => Text(o.Budget.Grace), (to, from) => to.Budget.Grace = from.Budget.Grace),
        new("Budget:MaxAllocatedBytes", o => Text(o.Budget.MaxAllocatedBytes), (to, from) => to.Budget.MaxAllocatedBytes = from.Budget.MaxAllocatedBytes),
        new("Budget:MaxCallDepth", o => Text(o.Budget.MaxCallDepth), (to, from) => to.Budget.MaxCallDepth = from.Budget.MaxCallDepth),
    ];

    /// <summary>What configuration says for each start-up key, before any is kept: what the next change is compared with.</summary>
    /// <param name="read">Settings just read from configuration.</param>
    public static IReadOnlyDictionary<string, string> Values(TransformOptions read) =>
        Always.Concat(InProcessBudget).ToDictionary(key => key.Name, key => key.Read(read), StringComparer.Ordinal);

    /// <summary>
    /// Puts back into <paramref name="next"/> the value in effect of every key that only takes effect at start-up,
    /// and returns the keys that this change changed: those whose value differs from what configuration said before.
    /// </summary>
    /// <param name="current">The settings in effect, which carry the start-up values.</param>
    /// <param name="before">What configuration said before this change (<see cref="Values"/>).</param>
    /// <param name="next">The settings just read from configuration; changed in place.</param>
    public static IReadOnlyList<string> KeepStarted(TransformOptions current, IReadOnlyDictionary<string, string> before, TransformOptions next)
    {
        var keys = current.Isolation == TransformIsolation.InProcess ? [.. Always, .. InProcessBudget] : Always;
        var changed = new List<string>();
        foreach (var key in keys)
        {
            var value = key.Read(next);
            if (!string.Equals(before[key.Name], value, StringComparison.Ordinal))
            {
                changed.Add(key.Name);
            }

            if (!string.Equals(key.Read(current), value, StringComparison.Ordinal))
            {
                key.Keep(next, current);
            }
        }

        return changed;
    }

    private static string Text(IFormattable value) => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Key(string Name, Func<TransformOptions, string> Read, Action<TransformOptions, TransformOptions> Keep);
}
