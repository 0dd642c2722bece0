using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Discovery.Cluster;

namespace Discovery.Tests.Cluster;

/// <summary>
/// After the handshake, a process that can reach a node's port but does not hold the secret sends messages that claim
/// to come from the trusted coordinator: Akka takes the sender's address from the message itself, so only the seal of
/// the session tells them apart.
/// </summary>
public sealed class ForgedSenderTests
{
    private const string Secret = "test-secret-of-the-forgery-tests";

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(BlockingCollection<object> received) => ReceiveAny(received.Add);
    }

    [Fact]
    public async Task Messages_with_a_forged_coordinator_address_are_refused_after_the_handshake()
    {
        var secret = ClusterSecret.FromText(Secret);
        var refused = new BlockingCollection<object>();
        var (worker, _) = ClusterNode.Start(new NodeOptions(secret), ClusterNode.WorkerRole, (system, trust) =>
        {
            system.ActorOf(Props.Create(() => new IslandHost(1, trust)), "islands");
            system.EventStream.Subscribe(system.ActorOf(Props.Create(() => new Recorder(refused))), typeof(MessageRefused));
        });
        var workerAddress = Akka.Cluster.Cluster.Get(worker).SelfAddress;
        var received = new BlockingCollection<object>();
        var (coordinator, _) = ClusterNode.Start(new NodeOptions(secret, Join: $"{workerAddress.Host}:{workerAddress.Port}"),
            ClusterNode.CoordinatorRole, (system, _) => system.ActorOf(Props.Create(() => new Recorder(received)), "coordinator"));
        var attacker = ActorSystem.Create("attacker", ConfigurationFactory.ParseString(
            "akka { loglevel = OFF, actor.provider = remote, remote.dot-netty.tcp { hostname = \"127.0.0.1\", port = 0 } }"));
        try
        {
            // The worker offers itself, sealed, once the handshake is done both ways.
            Assert.True(received.TryTake(out var offer, TimeSpan.FromSeconds(30)), "the handshake did not complete");
            var genuine = Assert.IsType<Sealed>(offer);
            Assert.Equal(nameof(WorkerAvailable), genuine.Kind);

            var coordinatorAddress = Akka.Cluster.Cluster.Get(coordinator).SelfAddress;
            var forgedSender = ((ExtendedActorSystem)attacker).Provider.ResolveActorRef(
                new RootActorPath(coordinatorAddress) / "user" / "coordinator");
            var islands = attacker.ActorSelection(new RootActorPath(workerAddress) / "user" / "islands");
            islands.Tell(new StartSearch("forged", "{}"), forgedSender);
            islands.Tell(new Sealed(coordinatorAddress.ToString(), workerAddress.ToString(), 1, nameof(StartSearch),
                "{\"SearchId\":\"forged\",\"SpecJson\":\"{}\"}", new byte[32]), forgedSender);

            var reasons = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                Assert.True(refused.TryTake(out var refusal, TimeSpan.FromSeconds(30)), "a forged message was not refused");
                var r = Assert.IsType<MessageRefused>(refusal);
                Assert.Equal(coordinatorAddress, r.ClaimedSender);
                Assert.Equal(nameof(StartSearch), r.Kind);
                reasons.Add(r.Reason);
            }
            Assert.Contains("it is not sealed", reasons);
            Assert.Contains("its seal is not that of the session", reasons);
            // Refused means not obeyed: the worker answered neither forgery.
            Assert.False(received.TryTake(out var reply, TimeSpan.FromSeconds(1)), $"the worker answered: {reply}");
        }
        finally
        {
            await attacker.Terminate();
            ClusterNode.Stop(coordinator);
            ClusterNode.Stop(worker);
        }
    }
}
