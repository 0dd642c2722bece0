using Akka.Actor;
using Akka.Cluster;

namespace Discovery.Cluster;

/// <summary>
/// Each node's gatekeeper. It challenges every other member with a fresh nonce and trusts it once it answers with the
/// HMAC of that nonce under the shared secret (bound to both addresses and to the role and threads it claims, so a
/// proof cannot be replayed, relayed or altered) and this node has answered the member's own challenge; the two nonces
/// key the session in which all later messages between the two are sealed (see Messages.cs). A member that answers
/// wrongly, or not at all within the authentication timeout, is downed (removed from the cluster). It downs members
/// that stay unreachable.
/// </summary>
internal sealed class GateActor : ReceiveActor, IWithTimers
{
    private sealed record Tick;

    private sealed record Pending(byte[] Nonce, DateTime Deadline);

    private readonly NodeOptions options;
    private readonly string role;
    private readonly TrustedMembers trust;
    private readonly Akka.Cluster.Cluster cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Dictionary<Address, Pending> pending = [];
    private readonly Dictionary<Address, DateTime> unreachableSince = [];
    private readonly HashSet<Address> removed = [];

    public ITimerScheduler Timers { get; set; } = null!;

    public GateActor(NodeOptions options, string role, TrustedMembers trust)
    {
        this.options = options;
        this.role = role;
        this.trust = trust;
        var self = cluster.SelfAddress.ToString();
        Receive<ClusterEvent.MemberUp>(e => Challenge(e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Challenge(e.Member));
        Receive<ClusterEvent.UnreachableMember>(e => unreachableSince.TryAdd(e.Member.Address, DateTime.UtcNow));
        Receive<ClusterEvent.ReachableMember>(e => unreachableSince.Remove(e.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(e => Forget(e.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<Challenge>(c =>
        {
            if (c.Nonce is not { Length: 32 }) return;
            var peer = Sender.Path.Address;
            trust.Answered(peer, c.Nonce);
            var proof = options.Secret.Prove(c.Nonce, self, peer.ToString(), Claims(role, options.Threads));
            Sender.Tell(new ChallengeAnswer(c.Nonce, proof, role, options.Threads));
            PublishIfTrusted(peer);
        });
        Receive<ChallengeAnswer>(Answer);
        Receive<Tick>(_ => OnTick());
    }

    protected override void PreStart()
    {
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromMilliseconds(500));
    }

    protected override void PostStop() => cluster.Unsubscribe(Self);

    private TimeSpan AuthenticationTimeout => options.AuthenticationTimeout ?? TimeSpan.FromSeconds(15);

    private void Challenge(Member member)
    {
        var address = member.Address;
        if (address == cluster.SelfAddress || trust.HasProved(address) || pending.ContainsKey(address) || removed.Contains(address)) return;
        var p = new Pending(ClusterSecret.NewNonce(), DateTime.UtcNow + AuthenticationTimeout);
        pending[address] = p;
        GateOf(address).Tell(new Challenge(p.Nonce));
    }

    private void Answer(ChallengeAnswer answer)
    {
        var address = Sender.Path.Address;
        if (!pending.TryGetValue(address, out var p) || !p.Nonce.AsSpan().SequenceEqual(answer.Nonce)) return;
        pending.Remove(address);
        if (options.Secret.Verify(answer.Proof, p.Nonce, address.ToString(), cluster.SelfAddress.ToString(), Claims(answer.Role, answer.Threads)))
        {
            trust.Proved(new MemberTrusted(address, answer.Role, answer.Threads), p.Nonce);
            PublishIfTrusted(address);
        }
        else if (trust.All.Count > 0)
        {
            Remove(address, "it did not prove the cluster secret");
        }
        else
        {
            // Trusted by no one ourselves, we may be the odd one out (a wrong secret here): never down others then.
            Report($"{address} did not prove this node's secret; is the secret the same on every node?");
            removed.Add(address);
        }
    }

    private static string Claims(string role, int threads) => $"role={role}|threads={threads}";

    /// <summary>Announces a member once both halves of its handshake are done (either may finish last).</summary>
    private void PublishIfTrusted(Address address)
    {
        if (trust.NewlyTrusted(address) is { } member) Context.System.EventStream.Publish(member);
    }

    private void OnTick()
    {
        var now = DateTime.UtcNow;
        foreach (var (address, p) in pending.ToList())
        {
            if (now > p.Deadline)
            {
                pending.Remove(address);
                if (trust.All.Count > 0) Remove(address, "it did not answer the secret challenge in time");
                else removed.Add(address);
            }
            else
            {
                GateOf(address).Tell(new Challenge(p.Nonce)); // its gate may not have existed yet
            }
        }
        var downAfter = options.UnreachableDownAfter ?? TimeSpan.FromSeconds(5);
        foreach (var (address, since) in unreachableSince.ToList())
            if (now - since > downAfter)
            {
                unreachableSince.Remove(address);
                Remove(address, "it was unreachable");
            }
    }

    private void Remove(Address address, string why)
    {
        removed.Add(address);
        trust.Remove(address);
        Report($"removing {address} from the cluster: {why}");
        cluster.Down(address);
    }

    private static void Report(string line) => Console.Error.WriteLine($"cluster: {line}");

    private void Forget(Address address)
    {
        pending.Remove(address);
        unreachableSince.Remove(address);
        trust.Remove(address);
    }

    private ActorSelection GateOf(Address address) => Context.ActorSelection(new RootActorPath(address) / "user" / "gate");
}
