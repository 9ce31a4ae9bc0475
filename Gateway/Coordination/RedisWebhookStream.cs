using System.Text.Json;
using Gateway.Webhooks;
using Gateway.Webhooks.Delivery;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Coordination;

/// <summary>
/// Each destination's queue as a Redis Stream with one consumer group, shared by the fleet: a replica adds the
/// messages it folded (XADD), and whichever replica's turn comes takes a post's worth (XREADGROUP), claiming first what
/// a dead replica took and never finished (XAUTOCLAIM, idle longer than <see cref="RedisOptions.ClaimAfter"/>), posts
/// it, and removes it (XACK, XDEL) once delivered or given up on. Delivery is at least once: before posting, each entry
/// is claimed with <c>SET NX PX</c> on its id, so two live replicas never post it both, and the claim is kept
/// (<see cref="KeepAsync"/>) while a post retries; a replica killed during a post leaves that post's entries to be
/// posted again by another.
/// </summary>
/// <remarks>
/// When Redis does not answer, the messages stay in this replica's memory and it delivers them itself (counted as a
/// fallback, feature <c>queue</c>). The stream holds at most the destination's <c>QueueCapacity</c>; what does not fit
/// is delivered by its replica, whose in-memory queue applies the drop policy.
/// </remarks>
internal sealed class RedisWebhookStream(RedisConnection redis, IOptions<RedisOptions> options) : IFleetQueue
{
    public const string Feature = "queue";
    private const string Group = "delivery";

    // KEYS[1] the stream. ARGV[1] the group, ARGV[2] its capacity, ARGV[3..] messages. Returns how many were added
    // (the first ones).
    private const string AddScript = """
        redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
        local room = tonumber(ARGV[2]) - redis.call('XLEN', KEYS[1])
        local added = 0
        for i = 3, #ARGV do
          if added >= room then break end
          redis.call('XADD', KEYS[1], '*', 'm', ARGV[i])
          added = added + 1
        end
        return added
        """;

    // KEYS[1] the stream. ARGV[1] the group, ARGV[2] this consumer, ARGV[3] claim-after ms, ARGV[4] at most,
    // ARGV[5] the prefix of the claim keys (same hash slot as the stream). Returns { id, message, id, message, ... }.
    private const string TakeScript = """
        redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[1], '0', 'MKSTREAM')
        local max = tonumber(ARGV[4])
        local taken = {}
        local claimed = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], '0-0', 'COUNT', max)
        for _, entry in ipairs(claimed[2]) do
          if entry and entry[2] then table.insert(taken, entry) end
        end
        if #taken < max then
          local read = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', max - #taken, 'STREAMS', KEYS[1], '>')
          if read then
            for _, entry in ipairs(read[1][2]) do table.insert(taken, entry) end
          end
        end
        local result = {}
        for _, entry in ipairs(taken) do
          if redis.call('SET', ARGV[5] .. entry[1], ARGV[2], 'NX', 'PX', ARGV[3]) then
            table.insert(result, entry[1])
            table.insert(result, entry[2][2])
          end
        end
        return result
        """;

    // KEYS[1] the stream. ARGV[1] the group, ARGV[2] this consumer, ARGV[3] claim-after ms, ARGV[4] the claim keys'
    // prefix, ARGV[5..] ids. Resets the entries' idle time and renews their claims.
    private const string KeepScript = """
        for i = 5, #ARGV do
          redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
          redis.call('SET', ARGV[4] .. ARGV[i], ARGV[2], 'PX', ARGV[3])
        end
        return 1
        """;

    // KEYS[1] the stream. ARGV[1] the group, ARGV[2..] ids.
    private const string DoneScript = """
        for i = 2, #ARGV do
          redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
          redis.call('XDEL', KEYS[1], ARGV[i])
        end
        return 1
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _consumer = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly long _claimAfter = (long)options.Value.ClaimAfter.TotalMilliseconds;

    public bool IsShared => true;

    public TimeSpan KeepEvery => options.Value.ClaimAfter / 3;

    public async ValueTask<IReadOnlyList<WebhookMessage>> AddAsync(WebhookDestination destination, IReadOnlyList<WebhookMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return messages;
        }

        RedisValue[] arguments = [Group, destination.Options.QueueCapacity, .. messages.Select(message => (RedisValue)Serialize(message))];
        var (answered, result) = await redis.TryAsync(
            "queue_add", Feature, database => database.ScriptEvaluateAsync(AddScript, [StreamKey(destination)], arguments), cancellationToken);
        var added = answered && result is not null ? (int)result : 0;
        return added == messages.Count ? [] : messages.Skip(added).ToList();
    }

    public async ValueTask<IReadOnlyList<FleetQueueEntry>> TakeAsync(WebhookDestination destination, int max, CancellationToken cancellationToken)
    {
        // No fallback to count: while Redis is away, nothing can be taken from it, and this replica delivers its own.
        var (answered, result) = await redis.TryAsync(
            "queue_take",
            null,
            database => database.ScriptEvaluateAsync(TakeScript, [StreamKey(destination)], [Group, _consumer, _claimAfter, max, ClaimPrefix(destination)]),
            cancellationToken);
        if (!answered || result is null)
        {
            return [];
        }

        var values = (RedisResult[])result!;
        var entries = new List<FleetQueueEntry>(values.Length / 2);
        List<FleetQueueEntry>? unreadable = null;
        for (var i = 0; i + 1 < values.Length; i += 2)
        {
            try
            {
                entries.Add(new FleetQueueEntry((string)values[i]!, Deserialize((string)values[i + 1]!)));
            }
            catch (JsonException)
            {
                // Not a message this gateway wrote (another version, another program): removed, or it would come back forever.
                (unreadable ??= []).Add(new FleetQueueEntry((string)values[i]!, null!));
            }
        }

        if (unreadable is not null)
        {
            await DoneAsync(destination, unreadable, cancellationToken);
        }

        return entries;
    }

    public async ValueTask KeepAsync(WebhookDestination destination, IReadOnlyList<FleetQueueEntry> entries, CancellationToken cancellationToken)
    {
        RedisValue[] arguments = [Group, _consumer, _claimAfter, ClaimPrefix(destination), .. entries.Select(entry => (RedisValue)entry.Id)];
        await redis.TryAsync("queue_keep", null, database => database.ScriptEvaluateAsync(KeepScript, [StreamKey(destination)], arguments), cancellationToken);
    }

    public async ValueTask DoneAsync(WebhookDestination destination, IReadOnlyList<FleetQueueEntry> entries, CancellationToken cancellationToken)
    {
        RedisValue[] arguments = [Group, .. entries.Select(entry => (RedisValue)entry.Id)];
        await redis.TryAsync("queue_done", null, database => database.ScriptEvaluateAsync(DoneScript, [StreamKey(destination)], arguments), cancellationToken);
    }

    /// <summary>A message as the stream holds it: JSON, every field a replica needs to post it and count it.</summary>
    internal static string Serialize(WebhookMessage message) => JsonSerializer.Serialize(
        new StreamedMessage(
            message.Destination, message.Text, message.Alert, message.QueuedAt, message.FoldedCount, message.FoldedSpan.From, message.FoldedSpan.To,
            message.Resolved?.Occurrences, message.Resolved?.From, message.Resolved?.To),
        Json);

    internal static WebhookMessage Deserialize(string json)
    {
        var streamed = JsonSerializer.Deserialize<StreamedMessage>(json, Json) ?? throw new JsonException("An empty message in the stream.");
        return new WebhookMessage(streamed.Destination, streamed.Text, streamed.Alert, streamed.QueuedAt)
        {
            FoldedCount = streamed.FoldedCount,
            FoldedSpan = (streamed.FoldedFrom, streamed.FoldedTo),
            Resolved = streamed.Occurrences is { } occurrences ? (occurrences, streamed.ResolvedFrom ?? default, streamed.ResolvedTo ?? default) : null,
        };
    }

    // The braces make one hash slot per destination: the stream and its claim keys.
    private RedisKey StreamKey(WebhookDestination destination) => redis.Key($"queue:{{{destination.Name.ToUpperInvariant()}}}");

    private string ClaimPrefix(WebhookDestination destination) => redis.Key($"queue:{{{destination.Name.ToUpperInvariant()}}}:claim:").ToString();

    private sealed record StreamedMessage(
        string Destination, string? Text, Gateway.Scripting.WebhookAlert? Alert, DateTimeOffset QueuedAt, int FoldedCount,
        DateTimeOffset FoldedFrom, DateTimeOffset FoldedTo, long? Occurrences, DateTimeOffset? ResolvedFrom, DateTimeOffset? ResolvedTo);
}
