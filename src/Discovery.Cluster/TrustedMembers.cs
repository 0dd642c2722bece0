using System.Collections.Concurrent;
using Akka.Actor;

namespace Discovery.Cluster;

/// <summary>
/// The members of the cluster that have proved the shared secret to this node, and the sessions with them (thread-safe).
/// A member is trusted once both halves of the handshake are done: it proved the secret for this node's nonce (which
/// gives the key to open its messages) and this node answered its nonce (which gives the key to seal messages to it).
/// </summary>
public sealed class TrustedMembers
{
    private readonly ConcurrentDictionary<Address, Session> sessions = new();
    private readonly ClusterSecret secret;
    private readonly string self;

    internal TrustedMembers(ClusterSecret secret, Address self)
    {
        this.secret = secret;
        this.self = self.ToString();
    }

    /// <summary>Whether the member at this address has proved the secret and holds a session with this node.</summary>
    public bool IsTrusted(Address address) => sessions.TryGetValue(address, out var s) && s.Complete;

    /// <summary>Whether the member has proved the secret to this node (the other half of its handshake may be pending).</summary>
    internal bool HasProved(Address address) => sessions.TryGetValue(address, out var s) && s.Member is not null;

    /// <summary>The trusted members.</summary>
    public IReadOnlyCollection<MemberTrusted> All => sessions.Values.Where(s => s.Complete).Select(s => s.Member!).ToList();

    /// <summary>This node answered <paramref name="peer"/>'s challenge: messages to it are sealed under that nonce.</summary>
    internal void Answered(Address peer, byte[] nonce) =>
        sessions.GetOrAdd(peer, _ => new Session()).SendKey = secret.SessionKey(nonce, self, peer.ToString());

    /// <summary>The member proved the secret for <paramref name="nonce"/>, which this node issued to it.</summary>
    internal void Proved(MemberTrusted member, byte[] nonce) =>
        sessions.GetOrAdd(member.Address, _ => new Session()).Opened(member, secret.SessionKey(nonce, member.Address.ToString(), self));

    /// <summary>The member, the first time both halves of its handshake are done (null otherwise).</summary>
    internal MemberTrusted? NewlyTrusted(Address address)
    {
        if (!sessions.TryGetValue(address, out var s) || !s.Complete || s.Published) return null;
        s.Published = true;
        return s.Member;
    }

    internal void Remove(Address address) => sessions.TryRemove(address, out _);

    /// <summary>
    /// Seals <paramref name="message"/> for the trusted member at <paramref name="to"/>; null when there is no session
    /// with it (it left meanwhile), and the message is dropped.
    /// </summary>
    internal Sealed? Seal(Address to, IWorkMessage message) =>
        sessions.TryGetValue(to, out var s) && s.Complete ? Cluster.Seal.Make(s.SendKey!, self, to.ToString(), s.NextCounter(), message) : null;

    /// <summary>Sends <paramref name="message"/> sealed to <paramref name="target"/> (dropped when it has no session).</summary>
    internal void Send(IActorRef target, IWorkMessage message, IActorRef sender)
    {
        if (Seal(target.Path.Address, message) is { } envelope) target.Tell(envelope, sender);
    }

    /// <summary>
    /// The message in <paramref name="envelope"/> when it is authentic, fresh, addressed to this node and comes from
    /// the trusted member it names, which is also the sender Akka reports; else null and the reason.
    /// </summary>
    internal (IWorkMessage? Message, string? Refusal) Open(Sealed envelope, Address sender)
    {
        if (envelope.From != sender.ToString()) return (null, $"it names {envelope.From} as its sender");
        if (!sessions.TryGetValue(sender, out var s) || !s.Complete) return (null, "the sender has no session with this node");
        if (envelope.To != self) return (null, $"it is addressed to {envelope.To}");
        if (!Cluster.Seal.Authentic(s.ReceiveKey!, envelope)) return (null, "its seal is not that of the session");
        if (!s.Fresh(envelope.Counter)) return (null, "it was received before (a replay)");
        return Cluster.Seal.Body(envelope) is { } message ? (message, null) : (null, "its body is not a work message");
    }
}

/// <summary>What a node does with a message it refuses: drops it, publishes <see cref="MessageRefused"/>, and says so on
/// stderr once per claimed sender (a flood of forgeries must not flood the log).</summary>
internal sealed class Refusals
{
    private readonly HashSet<Address> reported = [];

    public void Refuse(IActorContext context, Address claimedSender, string kind, string reason)
    {
        context.System.EventStream.Publish(new MessageRefused(claimedSender, kind, reason));
        if (reported.Add(claimedSender))
            Console.Error.WriteLine($"cluster: refused a {Clean(kind)} that claims to come from {Clean(claimedSender.ToString())}: {Clean(reason)}");
    }

    // The kind and the addresses come from the sender: no control characters reach the terminal.
    private static string Clean(string text) => new(text.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
