namespace Gateway.Scripting.Execution;

/// <summary>Keeps count of the budget breaches held against each transform version, and says which are skipped.</summary>
public interface ITransformQuarantine
{
    /// <summary>Whether <paramref name="transform"/> is quarantined: skipped until its file changes.</summary>
    /// <param name="transform">The version asked about.</param>
    bool IsQuarantined(CompiledTransform transform);

    /// <summary>Holds one breach against <paramref name="transform"/>.</summary>
    /// <param name="transform">The version that breached.</param>
    /// <returns><see langword="true"/> when this breach quarantined it.</returns>
    bool RecordBreach(CompiledTransform transform);
}
