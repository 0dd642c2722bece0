using Akka.Actor;

namespace Discovery.Cluster;

/// <summary>A worker node: evolves islands for any coordinator that proves the cluster secret.</summary>
public sealed class ClusterWorker : IDisposable
{
    private readonly ActorSystem system;

    private ClusterWorker(ActorSystem system) => this.system = system;

    /// <summary>Starts a worker node and joins (or starts) the cluster.</summary>
    /// <exception cref="ClusterException">Bad address or port in use.</exception>
    public static ClusterWorker Start(NodeOptions options)
    {
        if (options.Threads < 1) throw new ClusterException($"--threads must be at least 1 (got {options.Threads})");
        var (system, _) = ClusterNode.Start(options, ClusterNode.WorkerRole, (system, trust) =>
            system.ActorOf(Props.Create(() => new IslandHost(options.Threads, trust)), "islands"));
        return new ClusterWorker(system);
    }

    /// <summary>This node's address.</summary>
    public string Address => Akka.Cluster.Cluster.Get(system).SelfAddress.ToString();

    /// <summary>Completes when this node is a member of the cluster.</summary>
    public Task Joined
    {
        get
        {
            var joined = new TaskCompletionSource();
            Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => joined.TrySetResult());
            return joined.Task;
        }
    }

    /// <summary>Completes when the node stops (removed from the cluster, or disposed).</summary>
    public Task Stopped => system.WhenTerminated;

    /// <summary>Leaves the cluster and stops.</summary>
    public void Dispose() => ClusterNode.Stop(system);
}
