namespace Discovery.Cluster;

// Messages between nodes. They carry text and numbers only: island states and the search spec travel as the JSON the
// core writes for checkpoints (IslandWork.stateToJson, SearchSpec.toJson).

/// <summary>Gate to gate: prove that you hold the secret by answering this nonce.</summary>
public sealed record Challenge(byte[] Nonce);

/// <summary>Gate to gate: the proof for a nonce, with the answering node's role and island threads.</summary>
public sealed record ChallengeAnswer(byte[] Nonce, byte[] Proof, string Role, int Threads);

/// <summary>Published on a node's event stream when a member has proved the secret.</summary>
public sealed record MemberTrusted(Akka.Actor.Address Address, string Role, int Threads);

/// <summary>Worker to coordinator, once the worker trusts it: islands can be sent here, this many at once.</summary>
public sealed record WorkerAvailable(int Threads);

/// <summary>Coordinator to worker: the options and data of a search.</summary>
public sealed record StartSearch(string SearchId, string SpecJson);

/// <summary>Worker to coordinator: ready for islands of the search (or why not).</summary>
public sealed record SearchReady(string SearchId, int Threads, string? Error);

/// <summary>Coordinator to worker: evolve one island one iteration, from this state.</summary>
public sealed record EvolveIsland(string SearchId, int Iteration, int Island, int Attempt, string StateJson);

/// <summary>Worker to coordinator: the island after its iteration (or why it failed), and the time the work took.</summary>
public sealed record IslandEvolved(string SearchId, int Iteration, int Island, int Attempt, string? StateJson, string? Error, double WorkMilliseconds);

/// <summary>Coordinator to worker: a time limit or cancellation came; cut running islands short.</summary>
public sealed record InterruptSearch(string SearchId);

/// <summary>Coordinator to worker: the search is over; forget it.</summary>
public sealed record EndSearch(string SearchId);
