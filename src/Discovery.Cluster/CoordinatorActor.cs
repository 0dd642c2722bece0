using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;

namespace Discovery.Cluster;

/// <summary>What happened on the cluster during a search.</summary>
/// <param name="WorkersReady">Workers ready for islands now.</param>
/// <param name="NodesTookPart">Workers that returned at least one island.</param>
/// <param name="NodesLost">Workers that left or died during the search.</param>
/// <param name="IslandsReassigned">Island iterations re-run elsewhere because their node was lost.</param>
/// <param name="IslandMessages">Island round trips (one state out, one back) completed.</param>
/// <param name="Bytes">Characters of island state sent and received.</param>
/// <param name="MeanRoundTripMilliseconds">Mean time from sending an island to receiving it back.</param>
/// <param name="MeanWorkMilliseconds">Mean time the worker spent evolving it (the rest of a round trip is overhead).</param>
public sealed record ClusterStats(
    int WorkersReady,
    int NodesTookPart,
    int NodesLost,
    int IslandsReassigned,
    long IslandMessages,
    long Bytes,
    double MeanRoundTripMilliseconds,
    double MeanWorkMilliseconds)
{
    /// <summary>Mean overhead of one island message round trip (transport, serialisation, queueing).</summary>
    public double MeanOverheadMilliseconds => Math.Max(0, MeanRoundTripMilliseconds - MeanWorkMilliseconds);
}

/// <summary>The coordinator's island dispatcher (at /user/coordinator): sends island states to trusted workers, at most
/// their thread count at a time, collects them, and re-sends the islands of a node that is lost.</summary>
internal sealed class CoordinatorActor : ReceiveActor, IWithTimers
{
    internal sealed record RunIteration(int Iteration, string[] States);

    internal sealed record IterationDone(string[] States);

    internal sealed record IterationFailed(string Reason);

    internal sealed record Interrupt;

    internal sealed record End;

    internal sealed record GetStats;

    private sealed record Tick;

    private sealed class Worker(IActorRef host, int threads)
    {
        public IActorRef Host { get; } = host;
        public int Threads { get; set; } = threads;
        public bool Ready { get; set; }
        public Dictionary<int, long> InFlight { get; } = []; // island -> send timestamp
    }

    private readonly string searchId;
    private readonly string specJson;
    private readonly TrustedMembers trust;
    private readonly TimeSpan noWorkerTimeout;
    private readonly Akka.Cluster.Cluster cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Dictionary<Address, (IActorRef Host, int Threads)> offered = [];
    private readonly Dictionary<Address, Worker> workers = [];
    private readonly HashSet<Address> tookPart = [];
    private readonly HashSet<Address> lost = [];
    private readonly Refusals refusals = new();
    private int reassigned;
    private long messages, bytes;
    private double roundTripTotal, workTotal;
    private bool interrupted;
    private bool ended;

    // The iteration in progress.
    private IActorRef? replyTo;
    private int iteration;
    private string[] states = [];
    private string?[] results = [];
    private int[] attempts = [];
    private readonly Queue<int> queue = new();
    private int remaining;
    private DateTime? idleSince;

    public ITimerScheduler Timers { get; set; } = null!;

    public CoordinatorActor(string searchId, string specJson, TrustedMembers trust, TimeSpan noWorkerTimeout)
    {
        this.searchId = searchId;
        this.specJson = specJson;
        this.trust = trust;
        this.noWorkerTimeout = noWorkerTimeout;
        Receive<Sealed>(envelope =>
        {
            var (message, refusal) = trust.Open(envelope, Sender.Path.Address);
            if (message is null) refusals.Refuse(Context, Sender.Path.Address, envelope.Kind, refusal!);
            else Handle(message);
        });
        Receive<IWorkMessage>(m => refusals.Refuse(Context, Sender.Path.Address, m.GetType().Name, "it is not sealed"));
        Receive<MemberTrusted>(m => Admit(m.Address));
        Receive<ClusterEvent.UnreachableMember>(e => Lose(e.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(e => Lose(e.Member.Address));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.ReachableMember>(_ => { });
        // The search's own commands come from this process only (ClusterSearch), never over the network.
        Receive<RunIteration>(run => { if (Sender.Path.Address.HasLocalScope) OnRun(run); });
        Receive<Interrupt>(_ =>
        {
            if (!Sender.Path.Address.HasLocalScope) return;
            interrupted = true;
            foreach (var w in workers.Values) Tell(w.Host, new InterruptSearch(searchId));
        });
        Receive<End>(_ =>
        {
            if (!Sender.Path.Address.HasLocalScope) return;
            ended = true;
            foreach (var w in workers.Values) Tell(w.Host, new EndSearch(searchId));
            Sender.Tell(Stats());
        });
        Receive<GetStats>(_ => Sender.Tell(Stats()));
        Receive<Tick>(_ => OnTick());
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(MemberTrusted));
        cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromMilliseconds(500));
    }

    protected override void PostStop() => cluster.Unsubscribe(Self);

    private ClusterStats Stats() => new(
        workers.Values.Count(w => w.Ready), tookPart.Count, lost.Count, reassigned, messages, bytes,
        messages == 0 ? 0 : roundTripTotal / messages, messages == 0 ? 0 : workTotal / messages);

    /// <summary>A work message from a trusted worker (its seal checked); <c>Sender</c> is that worker.</summary>
    private void Handle(IWorkMessage message)
    {
        switch (message)
        {
            case WorkerAvailable w:
                offered[Sender.Path.Address] = (Sender, Math.Max(1, w.Threads));
                Admit(Sender.Path.Address);
                break;
            case SearchReady ready:
                OnReady(ready);
                break;
            case IslandEvolved done:
                OnEvolved(done);
                break;
        }
    }

    private void Tell(IActorRef worker, IWorkMessage message) => trust.Send(worker, message, Self);

    /// <summary>A worker is used once it has offered itself and has proved the secret to this node.</summary>
    private void Admit(Address address)
    {
        if (workers.ContainsKey(address) || lost.Contains(address) || !trust.IsTrusted(address)
            || !offered.TryGetValue(address, out var offer)) return;
        workers[address] = new Worker(offer.Host, offer.Threads);
        Tell(offer.Host, new StartSearch(searchId, specJson));
    }

    private void OnReady(SearchReady ready)
    {
        if (ready.SearchId != searchId || !workers.TryGetValue(Sender.Path.Address, out var worker)) return;
        if (ready.Error is not null)
        {
            Console.Error.WriteLine($"cluster: worker {Sender.Path.Address} refused the search: {ready.Error}");
            workers.Remove(Sender.Path.Address);
            return;
        }
        worker.Ready = true;
        worker.Threads = Math.Max(1, ready.Threads);
        if (interrupted) Tell(worker.Host, new InterruptSearch(searchId));
        Dispatch();
    }

    private void OnRun(RunIteration run)
    {
        replyTo = Sender;
        iteration = run.Iteration;
        states = run.States;
        results = new string?[states.Length];
        attempts = new int[states.Length];
        queue.Clear();
        for (var i = 0; i < states.Length; i++) queue.Enqueue(i);
        remaining = states.Length;
        idleSince = null;
        Dispatch();
    }

    private void Dispatch()
    {
        while (queue.Count > 0)
        {
            // The least loaded ready worker with a free thread.
            var worker = workers.Values.Where(w => w.Ready && w.InFlight.Count < w.Threads)
                .OrderBy(w => (double)w.InFlight.Count / w.Threads).FirstOrDefault();
            if (worker is null) return;
            var island = queue.Dequeue();
            worker.InFlight[island] = Stopwatch.GetTimestamp();
            bytes += states[island].Length;
            Tell(worker.Host, new EvolveIsland(searchId, iteration, island, attempts[island], states[island]));
        }
    }

    private void OnEvolved(IslandEvolved done)
    {
        var address = Sender.Path.Address;
        if (done.SearchId != searchId || done.Iteration != iteration || replyTo is null) return;
        if (!workers.TryGetValue(address, out var worker) || !worker.InFlight.Remove(done.Island, out var sent)) return;
        if (done.Attempt != attempts[done.Island] || results[done.Island] is not null) return;
        if (done.Error is not null || done.StateJson is null)
        {
            Finish(new IterationFailed($"worker {address} failed on island {done.Island}: {done.Error}"));
            return;
        }
        messages++;
        bytes += done.StateJson.Length;
        roundTripTotal += Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        workTotal += done.WorkMilliseconds;
        tookPart.Add(address);
        results[done.Island] = done.StateJson;
        remaining--;
        if (remaining == 0) Finish(new IterationDone(results.Select(r => r!).ToArray()));
        else Dispatch();
    }

    private void Finish(object outcome)
    {
        replyTo?.Tell(outcome);
        replyTo = null;
        queue.Clear();
    }

    /// <summary>A worker left or became unreachable: its islands in flight start again, from the same state, elsewhere.</summary>
    private void Lose(Address address)
    {
        offered.Remove(address);
        if (ended || !workers.Remove(address, out var worker)) return; // after the end, members leaving are no loss
        lost.Add(address);
        foreach (var island in worker.InFlight.Keys.Order())
        {
            attempts[island]++;
            reassigned++;
            queue.Enqueue(island);
        }
        Console.Error.WriteLine($"cluster: lost worker {address}; {worker.InFlight.Count} island(s) in flight go to other nodes");
        Dispatch();
    }

    private void OnTick()
    {
        if (replyTo is null) return;
        if (workers.Values.Any(w => w.Ready))
        {
            idleSince = null;
            Dispatch();
            return;
        }
        idleSince ??= DateTime.UtcNow;
        if (DateTime.UtcNow - idleSince > noWorkerTimeout)
            Finish(new IterationFailed($"no worker node has been available for {noWorkerTimeout.TotalSeconds:0} s"));
    }
}
