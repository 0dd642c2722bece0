using System.Diagnostics;
using Akka.Actor;
using Microsoft.FSharp.Core;
using Symbolic.Search;

namespace Discovery.Cluster;

/// <summary>
/// A worker's island service (at /user/islands). It offers itself to every coordinator that has proved the secret,
/// builds one island context per thread for a search, and evolves islands with the core's work unit
/// (<c>IslandWork.step</c>), at most <see cref="NodeOptions.Threads"/> at once. Messages from members that have not
/// proved the secret are ignored.
/// </summary>
internal sealed class IslandHost : ReceiveActor
{
    private sealed record Finished(Job Job, IslandContext Context, IslandEvolved Result);

    private sealed record Job(EvolveIsland Work, IActorRef ReplyTo);

    private sealed class SearchState(string id, Address coordinator, Stack<IslandContext> free)
    {
        public string Id { get; } = id;
        public Address Coordinator { get; } = coordinator;
        public Stack<IslandContext> Free { get; } = free;
        public Queue<Job> Queue { get; } = new();
        public volatile bool Interrupted;
    }

    private readonly int threads;
    private readonly TrustedMembers trust;
    private readonly DedicatedThreads pool;
    private readonly Dictionary<string, SearchState> searches = [];
    private readonly Refusals refusals = new();

    public IslandHost(int threads, TrustedMembers trust)
    {
        this.threads = threads;
        this.trust = trust;
        pool = new DedicatedThreads(threads);
        Receive<MemberTrusted>(m =>
        {
            if (m.Role == ClusterNode.CoordinatorRole)
                if (trust.Seal(m.Address, new WorkerAvailable(threads)) is { } offer)
                    Context.ActorSelection(new RootActorPath(m.Address) / "user" / "coordinator").Tell(offer);
        });
        Receive<Sealed>(envelope =>
        {
            var (message, refusal) = trust.Open(envelope, Sender.Path.Address);
            if (message is null) refusals.Refuse(Context, Sender.Path.Address, envelope.Kind, refusal!);
            else Handle(message);
        });
        Receive<IWorkMessage>(m => refusals.Refuse(Context, Sender.Path.Address, m.GetType().Name, "it is not sealed"));
        Receive<Finished>(finished => { if (Sender.Path.Address.HasLocalScope) OnFinished(finished); });
        // A coordinator that died without ending its search: forget the search (and its copy of the data).
        Receive<Akka.Cluster.ClusterEvent.MemberRemoved>(e =>
        {
            foreach (var search in searches.Values.Where(s => s.Coordinator == e.Member.Address).ToList())
            {
                search.Interrupted = true;
                searches.Remove(search.Id);
            }
        });
        Receive<Akka.Cluster.ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(MemberTrusted));
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, typeof(Akka.Cluster.ClusterEvent.MemberRemoved));
    }

    protected override void PostStop()
    {
        Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        pool.Dispose();
    }

    /// <summary>A work message from a trusted coordinator (its seal checked); <c>Sender</c> is that coordinator.</summary>
    private void Handle(IWorkMessage message)
    {
        switch (message)
        {
            case StartSearch s:
                Start(s);
                break;
            case EvolveIsland w:
                Enqueue(w);
                break;
            case InterruptSearch s when searches.TryGetValue(s.SearchId, out var state):
                state.Interrupted = true;
                break;
            case EndSearch s when searches.Remove(s.SearchId, out var state):
                state.Interrupted = true;
                state.Queue.Clear();
                break;
        }
    }

    private void Reply(IWorkMessage message) => trust.Send(Sender, message, Self);

    private void Start(StartSearch start)
    {
        if (searches.ContainsKey(start.SearchId))
        {
            Reply(new SearchReady(start.SearchId, threads, null));
            return;
        }
        var spec = SearchSpec.ofJson(start.SpecJson);
        if (spec.IsError)
        {
            Reply(new SearchReady(start.SearchId, 0, spec.ErrorValue));
            return;
        }
        var (options, data) = spec.ResultValue;
        var contexts = IslandWork.contexts(options, data, threads);
        if (contexts.IsError)
        {
            Reply(new SearchReady(start.SearchId, 0, contexts.ErrorValue));
            return;
        }
        // One search at a time per coordinator is the norm; keep a few in case several coordinators share workers.
        searches[start.SearchId] = new SearchState(start.SearchId, Sender.Path.Address, new Stack<IslandContext>(contexts.ResultValue));
        Reply(new SearchReady(start.SearchId, threads, null));
    }

    private void Enqueue(EvolveIsland work)
    {
        if (!searches.TryGetValue(work.SearchId, out var state))
        {
            Reply(new IslandEvolved(work.SearchId, work.Iteration, work.Island, work.Attempt, null, "this worker does not know the search", 0));
            return;
        }
        state.Queue.Enqueue(new Job(work, Sender));
        Pump(state);
    }

    private void Pump(SearchState state)
    {
        while (state.Queue.Count > 0 && state.Free.Count > 0)
        {
            var job = state.Queue.Dequeue();
            var context = state.Free.Pop();
            var self = Self;
            // The work runs on the node's own island threads so that the actor (and the cluster's heartbeats) stay
            // responsive, and the evaluator's per-thread workspaces are reused from one island to the next.
            pool.Post(() => self.Tell(new Finished(job, context, Run(state, context, job.Work))));
        }
    }

    private static IslandEvolved Run(SearchState search, IslandContext context, EvolveIsland work)
    {
        var clock = Stopwatch.StartNew();
        string? stateJson = null, error = null;
        try
        {
            var state = IslandWork.stateOfJson(work.StateJson);
            if (state.IsError) error = state.ErrorValue;
            else
            {
                var interrupted = FuncConvert.FromFunc(() => search.Interrupted);
                var next = IslandWork.step(context, interrupted, state.ResultValue);
                if (next.IsError) error = next.ErrorValue;
                else stateJson = IslandWork.stateToJson(next.ResultValue);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = $"{e.GetType().Name}: {e.Message}";
        }
        return new IslandEvolved(work.SearchId, work.Iteration, work.Island, work.Attempt, stateJson, error, clock.Elapsed.TotalMilliseconds);
    }

    private void OnFinished(Finished finished)
    {
        trust.Send(finished.Job.ReplyTo, finished.Result, Self);
        if (searches.TryGetValue(finished.Job.Work.SearchId, out var state))
        {
            state.Free.Push(finished.Context);
            Pump(state);
        }
    }
}

/// <summary>A fixed set of background threads that run posted work in order of arrival.</summary>
internal sealed class DedicatedThreads : IDisposable
{
    private readonly System.Collections.Concurrent.BlockingCollection<Action> work = new();

    public DedicatedThreads(int count)
    {
        for (var i = 0; i < count; i++)
            new Thread(() =>
            {
                foreach (var action in work.GetConsumingEnumerable()) action();
            }) { IsBackground = true, Name = $"island-{i}" }.Start();
    }

    public void Post(Action action) => work.Add(action);

    public void Dispose() => work.CompleteAdding();
}
