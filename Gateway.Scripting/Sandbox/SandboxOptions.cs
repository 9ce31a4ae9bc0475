namespace Gateway.Scripting.Sandbox;

/// <summary>
/// How a deployment widens the allow-list. Everything added here becomes reachable by every transform:
/// widen only with types that cannot reach files, the network, the process or shared state.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>Extra namespaces whose types scripts may use, e.g. <c>System.Numerics</c> (sub-namespaces not included).</summary>
    public IList<string> AllowedNamespaces { get; } = [];

    /// <summary>Extra types scripts may use, by full name, e.g. <c>System.Numerics.BigInteger</c>; generic types as <c>Name`1</c>.</summary>
    public IList<string> AllowedTypes { get; } = [];
}
