using Akka.Actor;
using Microsoft.FSharp.Core;
using Symbolic.Search;

namespace Discovery.Cluster;

/// <summary>How the coordinator of a search joins a cluster.</summary>
/// <param name="Join">HOST:PORT of a member (e.g. the first worker).</param>
/// <param name="Secret">The cluster's shared secret.</param>
/// <param name="Bind">Address the coordinator listens on.</param>
/// <param name="Port">Its port (0: any free one).</param>
/// <param name="MinWorkers">Workers to wait for before the search starts (others may join later).</param>
/// <param name="WaitForWorkers">How long to wait for them.</param>
/// <param name="NoWorkerTimeout">The search fails when no worker is left for this long.</param>
public sealed record ClusterConnectOptions(
    string Join,
    ClusterSecret Secret,
    string Bind = "127.0.0.1",
    int Port = 0,
    int MinWorkers = 1,
    TimeSpan? WaitForWorkers = null,
    TimeSpan? NoWorkerTimeout = null);

/// <summary>
/// The coordinator's side of a search on a cluster: an <see cref="IslandScheduler"/> that sends every island to a
/// worker node once per iteration and waits for it to come back. Give it to <c>Search.runOn</c> (or
/// <c>TableRegression.Run</c>): migration, the hall of fame, stopping rules, checkpoints and progress stay in this
/// process, in the same code as an in-process search. Dispose it to leave the cluster.
/// </summary>
public sealed class ClusterSearch : IslandScheduler, IDisposable
{
    private readonly ActorSystem system;
    private readonly IActorRef coordinator;
    private int iteration;
    private bool disposed;

    private ClusterSearch(ActorSystem system, IActorRef coordinator)
    {
        this.system = system;
        this.coordinator = coordinator;
    }

    /// <summary>
    /// Joins the cluster as its coordinator, hands the options and data of the search to every worker that proves the
    /// secret, and returns once <see cref="ClusterConnectOptions.MinWorkers"/> of them are ready.
    /// </summary>
    /// <exception cref="ClusterException">A user-defined loss, a bad address, or too few workers in time.</exception>
    public static ClusterSearch Connect(ClusterConnectOptions options, SearchOptions search, Dataset data)
    {
        var spec = SearchSpec.toJson(search, data);
        if (spec.IsError) throw new ClusterException(spec.ErrorValue);
        if (spec.ResultValue.Length > 30_000_000)
            throw new ClusterException($"the data is too large to send to workers ({spec.ResultValue.Length:N0} characters as JSON; the limit is 30 MB)");
        var searchId = Guid.NewGuid().ToString("N");
        IActorRef? coordinator = null;
        var nodeOptions = new NodeOptions(options.Secret, options.Bind, options.Port, options.Join);
        var (system, _) = ClusterNode.Start(nodeOptions, ClusterNode.CoordinatorRole, (system, trust) =>
            coordinator = system.ActorOf(Props.Create(() => new CoordinatorActor(searchId, spec.ResultValue, trust,
                options.NoWorkerTimeout ?? TimeSpan.FromSeconds(60))), "coordinator"));
        var result = new ClusterSearch(system, coordinator!);
        var deadline = DateTime.UtcNow + (options.WaitForWorkers ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            int ready;
            try
            {
                ready = result.Stats.WorkersReady;
            }
            catch (ClusterException)
            {
                result.Dispose();
                throw new ClusterException($"the cluster at {options.Join} removed this node: does it have the same secret as the workers?");
            }
            if (ready >= Math.Max(1, options.MinWorkers)) break;
            if (DateTime.UtcNow > deadline)
            {
                result.Dispose();
                throw new ClusterException(
                    $"only {ready} of {options.MinWorkers} worker(s) ready after waiting; are workers running with --join {options.Join} and the same secret?");
            }
            Thread.Sleep(200);
        }
        return result;
    }

    /// <summary>What happened on the cluster so far.</summary>
    /// <exception cref="ClusterException">This node was removed from the cluster.</exception>
    public ClusterStats Stats
    {
        get
        {
            var stats = coordinator.Ask<ClusterStats>(new CoordinatorActor.GetStats(), TimeSpan.FromSeconds(10));
            Task.WaitAny(stats, system.WhenTerminated);
            if (!stats.IsCompletedSuccessfully) throw new ClusterException("this node was removed from the cluster");
            return stats.Result;
        }
    }

    /// <inheritdoc />
    public Island[] Evolve(IslandContext[] contexts, Island[] islands, FSharpFunc<Unit, bool> interrupted)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var states = islands.Select(i => IslandWork.stateToJson(IslandWork.save(i))).ToArray();
        var reply = coordinator.Ask<object>(new CoordinatorActor.RunIteration(iteration++, states), Timeout.InfiniteTimeSpan);
        var interruptSent = false;
        while (!reply.Wait(TimeSpan.FromMilliseconds(100)))
        {
            if (system.WhenTerminated.IsCompleted) throw new ClusterException("this node was removed from the cluster");
            if (!interruptSent && interrupted.Invoke(null!))
            {
                coordinator.Tell(new CoordinatorActor.Interrupt());
                interruptSent = true;
            }
        }
        return reply.Result switch
        {
            CoordinatorActor.IterationDone done => done.States.Select((json, i) => Load(contexts[i], json)).ToArray(),
            CoordinatorActor.IterationFailed failed => throw new ClusterException(failed.Reason),
            var other => throw new InvalidOperationException($"unexpected reply {other}"),
        };
    }

    private static Island Load(IslandContext context, string json)
    {
        var state = IslandWork.stateOfJson(json);
        if (state.IsError) throw new ClusterException($"a worker sent a bad island state: {state.ErrorValue}");
        var island = IslandWork.load(context, state.ResultValue);
        if (island.IsError) throw new ClusterException($"a worker sent a bad island state: {island.ErrorValue}");
        return island.ResultValue;
    }

    /// <summary>Tells the workers the search is over and leaves the cluster.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        try
        {
            coordinator.Ask<ClusterStats>(new CoordinatorActor.End(), TimeSpan.FromSeconds(5)).Wait();
        }
        catch (AggregateException)
        {
        }
        ClusterNode.Stop(system);
    }
}
