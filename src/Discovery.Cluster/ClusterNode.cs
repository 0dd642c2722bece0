using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.Configuration;

namespace Discovery.Cluster;

/// <summary>How a node joins the cluster.</summary>
/// <param name="Secret">The cluster's shared secret.</param>
/// <param name="Bind">Address to listen on (loopback by default: other machines cannot reach the node).</param>
/// <param name="Port">Port to listen on; 0 picks a free one.</param>
/// <param name="Join">A member's HOST:PORT to join through; null starts a new cluster with this node as its seed.</param>
/// <param name="Threads">Islands this node evolves at once (workers only).</param>
/// <param name="UnreachableDownAfter">A member unreachable this long is removed from the cluster.</param>
/// <param name="AuthenticationTimeout">A member that has not proved the secret within this time is removed.</param>
public sealed record NodeOptions(
    ClusterSecret Secret,
    string Bind = "127.0.0.1",
    int Port = 0,
    string? Join = null,
    int Threads = 1,
    TimeSpan? UnreachableDownAfter = null,
    TimeSpan? AuthenticationTimeout = null);

/// <summary>Starting an Akka.NET cluster node with Discovery's settings and its gate.</summary>
public static class ClusterNode
{
    /// <summary>The actor system name every node uses.</summary>
    public const string SystemName = "discovery";

    /// <summary>Role of nodes that evolve islands.</summary>
    public const string WorkerRole = "worker";

    /// <summary>Role of the node that runs a search.</summary>
    public const string CoordinatorRole = "coordinator";

    /// <summary>The node's HOCON configuration.</summary>
    public static Config Configuration(NodeOptions options, string role) =>
        ConfigurationFactory.ParseString($$"""
            akka {
              # Disconnections of lost nodes are expected here; the gate and coordinator report what matters.
              loglevel = OFF
              stdout-loglevel = OFF
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              actor.provider = cluster
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp {
                  hostname = "{{options.Bind}}"
                  port = {{options.Port}}
                  maximum-frame-size = 33554432b
                  send-buffer-size = 33554432b
                  receive-buffer-size = 33554432b
                  # Island messages are few and latency-bound: write each at once rather than batching for 40 ms.
                  batching.enabled = false
                }
              }
              cluster {
                roles = [{{role}}]
                # No automatic downing: each node's gate removes members that stay unreachable or never prove the secret.
                downing-provider-class = ""
                failure-detector {
                  heartbeat-interval = 1s
                  acceptable-heartbeat-pause = 4s
                  threshold = 10.0
                }
                log-info = off
                # Small clusters: gossip often so that joining and leaving take a fraction of a second, not seconds.
                periodic-tasks-initial-delay = 200ms
                gossip-interval = 200ms
                leader-actions-interval = 200ms
                unreachable-nodes-reaper-interval = 500ms
                run-coordinated-shutdown-when-down = on
              }
              coordinated-shutdown {
                exit-clr = off
                run-by-clr-shutdown-hook = off
                phases.cluster-exiting.timeout = 3s
                phases.cluster-leave.timeout = 3s
              }
            }
            """);

    /// <summary>Parses HOST:PORT into the address of a node of the cluster.</summary>
    /// <exception cref="ClusterException">Not HOST:PORT with a port in 1..65535.</exception>
    public static Address ParseAddress(string hostPort)
    {
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
            throw new ClusterException($"'{hostPort}' is not HOST:PORT (e.g. 127.0.0.1:4053)");
        var host = hostPort[..colon].Trim('[', ']');
        return new Address("akka.tcp", SystemName, host, port);
    }

    /// <summary>Checks that a bind address is an IP address or a host name.</summary>
    public static void CheckBind(string bind)
    {
        if (!IPAddress.TryParse(bind, out _) && Uri.CheckHostName(bind) == UriHostNameType.Unknown)
            throw new ClusterException($"--bind '{bind}' is not an IP address or host name");
    }

    /// <summary>
    /// Starts a node with its gate (at /user/gate), then joins: through <see cref="NodeOptions.Join"/>, or as the seed of
    /// a new cluster. <paramref name="beforeJoin"/> creates the node's other actors before it becomes visible.
    /// </summary>
    public static (ActorSystem System, TrustedMembers Trust) Start(NodeOptions options, string role, Action<ActorSystem, TrustedMembers>? beforeJoin = null)
    {
        CheckBind(options.Bind);
        var seed = options.Join is null ? null : ParseAddress(options.Join);
        ActorSystem system;
        try
        {
            system = ActorSystem.Create(SystemName, Configuration(options, role));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ClusterException($"cannot listen on {options.Bind}:{options.Port}: {Innermost(e).Message}");
        }
        var trust = new TrustedMembers(options.Secret, Akka.Cluster.Cluster.Get(system).SelfAddress);
        system.ActorOf(Props.Create(() => new GateActor(options, role, trust)), "gate");
        beforeJoin?.Invoke(system, trust);
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.JoinSeedNodes([seed ?? cluster.SelfAddress]);
        return (system, trust);
    }

    /// <summary>Leaves the cluster gracefully and stops the actor system (within a few seconds).</summary>
    public static void Stop(ActorSystem system)
    {
        try
        {
            CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance).Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
        }
        system.Terminate().Wait(TimeSpan.FromSeconds(5));
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
