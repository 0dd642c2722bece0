namespace Discovery.Cluster;

// Messages between nodes. They carry text and numbers only: island states and the search spec travel as the JSON the
// core writes for checkpoints (IslandWork.stateToJson, SearchSpec.toJson).
//
// Security: the gates' Challenge and ChallengeAnswer open a session between two members that both hold the secret.
// Every later message (an IWorkMessage) travels inside a Sealed envelope whose HMAC covers the sender's and the
// receiver's addresses, a counter and the message, under that session's key (TrustedMembers.Seal and Open). Akka takes
// a message's sender address from the message itself, so without the seal anyone who reaches a node's port could
// speak as a trusted member; with it, a forged, altered, misdirected or replayed message is refused.

/// <summary>A message that trusted members exchange only inside a <see cref="Sealed"/> envelope.</summary>
public interface IWorkMessage;

/// <summary>
/// An authenticated message: <paramref name="Body"/> is the JSON of a <see cref="IWorkMessage"/> of type
/// <paramref name="Kind"/>; <paramref name="Tag"/> is the HMAC of all other fields under the session key of the pair
/// (<paramref name="From"/>, <paramref name="To"/>); <paramref name="Counter"/> rises with each message of the session.
/// </summary>
public sealed record Sealed(string From, string To, long Counter, string Kind, string Body, byte[] Tag);

/// <summary>Published on a node's event stream when a message is refused (claimed sender, message kind, why).</summary>
public sealed record MessageRefused(Akka.Actor.Address ClaimedSender, string Kind, string Reason);

/// <summary>Gate to gate: prove that you hold the secret by answering this nonce.</summary>
public sealed record Challenge(byte[] Nonce);

/// <summary>Gate to gate: the proof for a nonce, with the answering node's role and island threads.</summary>
public sealed record ChallengeAnswer(byte[] Nonce, byte[] Proof, string Role, int Threads);

/// <summary>Published on a node's event stream when a member has proved the secret.</summary>
public sealed record MemberTrusted(Akka.Actor.Address Address, string Role, int Threads);

/// <summary>Worker to coordinator, once the worker trusts it: islands can be sent here, this many at once.</summary>
public sealed record WorkerAvailable(int Threads) : IWorkMessage;

/// <summary>Coordinator to worker: the options and data of a search.</summary>
public sealed record StartSearch(string SearchId, string SpecJson) : IWorkMessage;

/// <summary>Worker to coordinator: ready for islands of the search (or why not).</summary>
public sealed record SearchReady(string SearchId, int Threads, string? Error) : IWorkMessage;

/// <summary>Coordinator to worker: evolve one island one iteration, from this state.</summary>
public sealed record EvolveIsland(string SearchId, int Iteration, int Island, int Attempt, string StateJson) : IWorkMessage;

/// <summary>Worker to coordinator: the island after its iteration (or why it failed), and the time the work took.</summary>
public sealed record IslandEvolved(string SearchId, int Iteration, int Island, int Attempt, string? StateJson, string? Error, double WorkMilliseconds) : IWorkMessage;

/// <summary>Coordinator to worker: a time limit or cancellation came; cut running islands short.</summary>
public sealed record InterruptSearch(string SearchId) : IWorkMessage;

/// <summary>Coordinator to worker: the search is over; forget it.</summary>
public sealed record EndSearch(string SearchId) : IWorkMessage;
