using System.Runtime.CompilerServices;

namespace Gateway.Scripting.Execution;

/// <summary>
/// Counts budget breaches per compiled transform and quarantines one that breaches too often. A new version of
/// the file is a new <see cref="CompiledTransform"/>, so it starts with a clean record; old versions are
/// forgotten with them.
/// </summary>
public sealed class TransformQuarantine(TransformBudgetOptions options, TimeProvider time) : ITransformQuarantine
{
    private readonly ConditionalWeakTable<CompiledTransform, Record> _records = [];

    /// <inheritdoc />
    public bool IsQuarantined(CompiledTransform transform) =>
        _records.TryGetValue(transform, out var record) && record.Quarantined;

    /// <inheritdoc />
    public bool RecordBreach(CompiledTransform transform)
    {
        var record = _records.GetOrCreateValue(transform);
        var now = time.GetTimestamp();
        lock (record)
        {
            if (record.Quarantined)
            {
                return false;
            }

            record.Breaches.Enqueue(now);
            while (record.Breaches.Count > 0 && time.GetElapsedTime(record.Breaches.Peek(), now) > options.QuarantineWindow)
            {
                record.Breaches.Dequeue();
            }

            record.Quarantined = record.Breaches.Count >= options.QuarantineAfter;
            return record.Quarantined;
        }
    }

    private sealed class Record
    {
        public Queue<long> Breaches { get; } = new();

        public volatile bool Quarantined;
    }
}
