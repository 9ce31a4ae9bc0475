using System.Collections.Concurrent;
using Gateway.Scripting;
using Gateway.Scripting.Execution;

namespace Gateway.Exits;

/// <summary>Per transform name, what its chains showed (<see cref="TransformStats"/>): read by the status API and the quarantine gauge.</summary>
internal sealed class TransformRunStats
{
    private readonly ConcurrentDictionary<string, TransformStats> _stats = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, TransformStats> ByName => _stats;

    public TransformStats For(string name) => _stats.GetOrAdd(name, _ => new TransformStats());

    public void Record(IReadOnlyList<CompiledTransform> chain, TransformChainResult result, double chainMilliseconds, DateTimeOffset now)
    {
        // Indexed loops: a foreach over the interfaces would allocate an enumerator per chain.
        var failures = result.Failures;
        for (var t = 0; t < chain.Count; t++)
        {
            var transform = chain[t];
            TransformFailure? failure = null;
            for (var i = 0; i < failures.Count; i++)
            {
                var f = failures[i];
                if (string.Equals(f.Transform, transform.Name, StringComparison.Ordinal))
                {
                    failure = f;
                    break;
                }
            }

            For(transform.Name).Record(transform.SourceHash, failure, chainMilliseconds, now);
        }
    }
}
