using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Discovery.Cluster;

/// <summary>
/// The session between this node and one other member: the key this node seals with (from the nonce the peer issued
/// to it), the key it opens the peer's messages with (from the nonce it issued to the peer), the counter of its own
/// messages and the counters it has seen from the peer.
/// </summary>
internal sealed class Session
{
    // Messages from several actors of a node may overtake one another on the way, so a counter is accepted once if it
    // lies within this many of the highest one seen, rather than only if it is higher.
    private const long Window = 4096;

    private readonly Lock gate = new();
    private readonly HashSet<long> seen = [];
    private long highest;
    private long sent;

    public byte[]? SendKey { get; set; }
    public byte[]? ReceiveKey { get; private set; }
    public MemberTrusted? Member { get; private set; }
    public bool Published { get; set; }
    public bool Complete => SendKey is not null && ReceiveKey is not null && Member is not null;

    public long NextCounter() => Interlocked.Increment(ref sent);

    /// <summary>The peer proved the secret for the nonce this node issued: a new receiving session, counters afresh.</summary>
    public void Opened(MemberTrusted member, byte[] receiveKey)
    {
        lock (gate)
        {
            (Member, ReceiveKey, highest) = (member, receiveKey, 0);
            seen.Clear();
        }
    }

    /// <summary>Whether <paramref name="counter"/> is new in this session (and records it).</summary>
    public bool Fresh(long counter)
    {
        lock (gate)
        {
            if (counter < 1 || counter <= highest - Window || !seen.Add(counter)) return false;
            if (counter > highest)
            {
                highest = counter;
                seen.RemoveWhere(c => c <= highest - Window);
            }
            return true;
        }
    }
}

/// <summary>Sealing and opening <see cref="Sealed"/> envelopes (the format of the tag and of the body).</summary>
internal static class Seal
{
    private static readonly Dictionary<string, Type> Kinds = new[]
    {
        typeof(WorkerAvailable), typeof(StartSearch), typeof(SearchReady), typeof(EvolveIsland), typeof(IslandEvolved),
        typeof(InterruptSearch), typeof(EndSearch),
    }.ToDictionary(t => t.Name);

    public static Sealed Make(byte[] key, string from, string to, long counter, IWorkMessage message)
    {
        var kind = message.GetType().Name;
        if (!Kinds.ContainsKey(kind)) throw new ArgumentException($"{kind} is not a work message");
        var body = JsonSerializer.Serialize(message, message.GetType());
        return new Sealed(from, to, counter, kind, body, Tag(key, from, to, counter, kind, body));
    }

    public static bool Authentic(byte[] key, Sealed envelope) =>
        envelope.Tag is { Length: 32 } && CryptographicOperations.FixedTimeEquals(envelope.Tag,
            Tag(key, envelope.From, envelope.To, envelope.Counter, envelope.Kind, envelope.Body));

    /// <summary>The message in an authentic envelope (null when its kind or body is not a work message).</summary>
    public static IWorkMessage? Body(Sealed envelope)
    {
        if (!Kinds.TryGetValue(envelope.Kind, out var type)) return null;
        try
        {
            return JsonSerializer.Deserialize(envelope.Body, type) as IWorkMessage;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Tag(byte[] key, string from, string to, long counter, string kind, string body) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"discovery-cluster-v2 message|{from.Length}:{from}|{to.Length}:{to}|{counter}|{kind.Length}:{kind}|{body}"));
}
