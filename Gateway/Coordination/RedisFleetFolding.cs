using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Gateway.Webhooks;
using Gateway.Webhooks.Delivery;
using StackExchange.Redis;

namespace Gateway.Coordination;

/// <summary>
/// Storm folding shared by every replica through Redis. For each destination and fold key, the replica whose first
/// message wins an atomic set-if-absent on the window key (with an expiry) posts it and owns the window; the others
/// count their messages, and their own follow-ups, into the window's count. When the window is over, its owner takes
/// the count (atomically, reading and deleting it) and posts one follow-up with the fleet's total; while the storm
/// goes on it keeps the window for another round, and it lets it go after one quiet window (catching late counts).
/// </summary>
/// <remarks>
/// A follow-up that finds no window (its owner let it go, or died) is posted by its own replica, so nothing counted is
/// lost; a window whose owner died expires after two windows. When Redis does not answer within the operation timeout
/// the message is posted as is (counted as a fallback): without Redis, each replica folds on its own.
/// </remarks>
internal sealed class RedisFleetFolding(RedisConnection redis, TimeProvider time) : IFleetFolding
{
    public const string Feature = "folding";

    // KEYS[1] the window (owner id), KEYS[2] its counts (hash: n, from, to).
    // ARGV[1] owner id, ARGV[2] window expiry ms, ARGV[3] count, ARGV[4] from ms, ARGV[5] to ms, ARGV[6] counts expiry
    // ms, ARGV[7] '1' for a first message (may open the window), '0' for a follow-up.
    // Returns 1: post it (this replica opened the window); 0: counted into the window; 2: no window, post it.
    private const string AdmitScript = """
        if ARGV[7] == '1' then
          if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        elseif redis.call('EXISTS', KEYS[1]) == 0 then
          return 2
        end
        redis.call('HINCRBY', KEYS[2], 'n', ARGV[3])
        redis.call('HSETNX', KEYS[2], 'from', ARGV[4])
        redis.call('HSET', KEYS[2], 'to', ARGV[5])
        redis.call('PEXPIRE', KEYS[2], ARGV[6])
        return 0
        """;

    // KEYS as above; ARGV[1] owner id, ARGV[2] window expiry ms, ARGV[3] '1' to keep the window, '0' to let it go.
    // Returns { count, from ms, to ms } of the window that ended (count 0 when nothing was counted).
    private const string CollectScript = """
        local counts = redis.call('HMGET', KEYS[2], 'n', 'from', 'to')
        redis.call('DEL', KEYS[2])
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          if ARGV[3] == '1' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('DEL', KEYS[1]) end
        end
        return { tonumber(counts[1] or '0'), tonumber(counts[2] or '0'), tonumber(counts[3] or '0') }
        """;

    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<(string Destination, string Hash), OwnedWindow> _owned = new();

    // The follow-ups this replica collected for the fleet: posted as they are, never counted into a window again.
    private readonly ConditionalWeakTable<WebhookMessage, object> _collected = [];

    public async ValueTask<bool> ShouldPostAsync(WebhookDestination destination, WebhookMessage message, CancellationToken cancellationToken)
    {
        var window = destination.Options.FoldWindow;
        if (window <= TimeSpan.Zero)
        {
            return true;
        }

        if (_collected.TryGetValue(message, out _))
        {
            return true;
        }

        var hash = Hash(WebhookFoldKey.For(message));
        if (message.Resolved is not null)
        {
            // The storm's end is announced by the replica that announced its start, not by every replica.
            return _owned.ContainsKey((destination.Name, hash));
        }

        var first = !message.IsFollowUp;
        var (from, to) = first ? (message.QueuedAt, message.QueuedAt) : message.FoldedSpan;
        var (answered, result) = await redis.TryAsync(
            "fold_admit",
            Feature,
            database => database.ScriptEvaluateAsync(AdmitScript, [WindowKey(destination, hash), CountKey(destination, hash)],
            [
                _owner, (long)(window * 2).TotalMilliseconds, message.IsFollowUp ? message.FoldedCount : 1,
                from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), (long)(window * 4).TotalMilliseconds, first ? "1" : "0",
            ]),
            cancellationToken);
        if (!answered || result is null)
        {
            return true;
        }

        var decision = (int)result;
        if (decision == 1)
        {
            _owned[(destination.Name, hash)] = new OwnedWindow(message, time.GetUtcNow() + window);
        }

        return decision != 0;
    }

    public async ValueTask<IReadOnlyList<WebhookMessage>> CollectAsync(WebhookDestination destination, DateTimeOffset now, bool all, CancellationToken cancellationToken)
    {
        List<WebhookMessage>? followUps = null;
        foreach (var ((name, hash), owned) in _owned)
        {
            if (name != destination.Name || (!all && now < owned.End))
            {
                continue;
            }

            // After a quiet window the window is let go; until then (and while counts come in) it is kept.
            var keep = !all && owned.QuietWindows == 0;
            var window = destination.Options.FoldWindow;
            var (answered, result) = await redis.TryAsync(
                "fold_collect",
                Feature,
                database => database.ScriptEvaluateAsync(CollectScript, [WindowKey(destination, hash), CountKey(destination, hash)],
                    [_owner, (long)(window * 2).TotalMilliseconds, keep ? "1" : "0"]),
                cancellationToken);
            if (!answered || result is null)
            {
                // Try again next tick; at shutdown, the counts expire with their key.
                if (all)
                {
                    _owned.TryRemove((name, hash), out _);
                }

                continue;
            }

            var values = (RedisResult[])result!;
            var count = (long)values[0];
            if (count > 0)
            {
                var span = (DateTimeOffset.FromUnixTimeMilliseconds((long)values[1]), DateTimeOffset.FromUnixTimeMilliseconds((long)values[2]));
                var followUp = owned.First.FollowUp((int)Math.Min(count, int.MaxValue), span.Item1, span.Item2, now);
                _collected.AddOrUpdate(followUp, Feature);
                (followUps ??= []).Add(followUp);
            }

            if (all || (count == 0 && owned.QuietWindows > 0))
            {
                _owned.TryRemove((name, hash), out _);
            }
            else
            {
                _owned[(name, hash)] = owned with { End = now + window, QuietWindows = count > 0 ? 0 : owned.QuietWindows + 1 };
            }
        }

        return followUps ?? [];
    }

    private RedisKey WindowKey(WebhookDestination destination, string hash) => redis.Key($"fold:{{{destination.Name}:{hash}}}");

    private RedisKey CountKey(WebhookDestination destination, string hash) => redis.Key($"fold:{{{destination.Name}:{hash}}}:count");

    // Fold keys can be whole alert texts: a hash keeps Redis keys short and the text out of them.
    private static string Hash(string foldKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(foldKey)))[..32];

    private sealed record OwnedWindow(WebhookMessage First, DateTimeOffset End, int QuietWindows = 0);
}
