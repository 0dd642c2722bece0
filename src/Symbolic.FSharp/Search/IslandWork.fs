namespace Symbolic.Search

open System
open System.Text.Json
open System.Threading.Tasks
open Symbolic

/// What an island needs to evolve: the options, the resolved search space and a judge over the data. A judge owns
/// scratch buffers, so each island running at the same time needs its own context.
type IslandContext =
    { Options: SearchOptions
      Space: Space
      Judge: Judge
      /// The data's variable names (for display and checkpoints).
      Variables: string[]
      /// The loss of the best constant model, by which costs are normalised.
      Baseline: float }

/// Where islands evolve between two migrations: on threads of this process, or on the nodes of a cluster. The
/// coordinator (`Search.runOn`) hands every island to the scheduler once per iteration and merges what comes back.
type IslandScheduler =
    /// Runs one iteration (`IslandWork.iterate`) of every island and returns the islands after it, in the same order.
    /// `contexts` has one context per island; `interrupted` is true once a time limit or cancellation has come.
    abstract Evolve: contexts: IslandContext[] * islands: Island[] * interrupted: (unit -> bool) -> Island[]

/// The unit of island work shared by the in-process scheduler and cluster nodes: one iteration of one island, and
/// the conversion of an island to and from its serialisable state (the checkpoint form, also used for messages).
[<RequireQualifiedAccess>]
module IslandWork =
    /// Checks options and data; the resolved space and the validated data, or why not.
    let validate (options: SearchOptions) (data: Dataset) : Result<Space * Dataset, string> =
        let evo = options.Evolution
        if evo.Populations < 1 then Error "need at least one population"
        elif evo.PopulationSize < 2 then Error "populations need at least two members"
        elif evo.TournamentSize < 1 then Error "tournament size must be positive"
        elif options.Space.MaxSize < 1 then Error "maxsize must be positive"
        else
            Dataset.validate data
            |> Result.bind (fun d -> Space.create options.Space d.Variables.Length |> Result.map (fun s -> s, d))

    let private judgeFor (options: SearchOptions) (space: Space) (fitness: Fitness) (baseline: float) : Judge =
        let cost loss complexity =
            loss / baseline + options.Evolution.Parsimony * float complexity
        let available i = Array.contains i space.Binary || Array.contains i space.Unary
        let simplify (t: Tree) =
            match Tree.ofExprWith available fitness.Data.Variables (Simplify.simplify (Tree.toExpr fitness.Data.Variables t)) with
            | Ok s when Space.complexity space s <= Space.complexity space t -> s
            | _ -> t
        let optimise (t: Tree) (rng: Rng) =
            let start = Tree.constants t
            if start.Length = 0 then t, fitness.Loss t
            else
                let problem = fitness.Problem t
                let fit p =
                    match options.Constants.Optimiser with
                    | LevenbergMarquardt -> ConstantFitting.levenbergMarquardt problem options.Constants.Iterations p
                    | Bfgs -> ConstantFitting.bfgs problem options.Constants.Iterations p
                let mutable best, bestCost = fit start
                for _ in 1 .. options.Constants.Restarts do
                    let perturbed = start |> Array.map (fun c -> c * (1.0 + 0.5 * rng.NextGaussian()))
                    let p, c = fit perturbed
                    if c < bestCost then
                        best <- p
                        bestCost <- c
                let tuned = Tree.withConstants best t
                let loss = fitness.Loss tuned
                let original = fitness.Loss t
                if loss <= original then tuned, loss else t, original
        { Loss = fun t rng -> fitness.BatchLoss(t, rng)
          FullLoss = fitness.Loss
          OptimiseConstants = optimise
          Simplify = simplify
          Cost = cost
          Batched = options.BatchSize |> Option.exists (fun b -> b < fitness.Data.Rows) }

    /// `count` contexts over the same data (one per island that may run at once), or why the options or data are
    /// refused.
    let contexts (options: SearchOptions) (data: Dataset) (count: int) : Result<IslandContext[], string> =
        validate options data
        |> Result.map (fun (space, data) ->
            let fitnessFor () = Fitness(data, options.Loss, options.BatchSize, options.Seed)
            let baseline = (fitnessFor ()).BaselineLoss
            Array.init count (fun _ ->
                { Options = options
                  Space = space
                  Judge = judgeFor options space (fitnessFor ()) baseline
                  Variables = data.Variables
                  Baseline = baseline }))

    /// One iteration of one island, in place: `CyclesPerIteration` evolution cycles, then simplification, constant
    /// optimisation and full-data losses. Deterministic given the island (its random stream is part of it), unless
    /// `interrupted` cuts it short.
    let iterate (context: IslandContext) (interrupted: unit -> bool) (island: Island) =
        Island.evolve context.Judge context.Options context.Space interrupted island
        Island.optimiseAndSimplify context.Judge context.Options context.Space island

    /// A member in checkpoint form.
    let saveMember (m: Member) : CheckpointMember =
        { Tree = Checkpoint.treeToText m.Tree; Loss = m.Loss; Birth = m.Birth; Simplified = m.Simplified }

    /// A member rebuilt from checkpoint form (complexity and cost recomputed), or why its tree cannot be read.
    let loadMember (context: IslandContext) (m: CheckpointMember) : Result<Member, string> =
        Checkpoint.treeOfBoundedText m.Tree
        |> Result.map (fun tree ->
            let c = Space.complexity context.Space tree
            { Tree = tree; Loss = m.Loss; Complexity = c; Cost = context.Judge.Cost m.Loss c; Birth = m.Birth; Simplified = m.Simplified })

    let internal all (rs: Result<'a, string>[]) : Result<'a[], string> =
        match rs |> Array.tryPick (function Error e -> Some e | Ok _ -> None) with
        | Some e -> Error e
        | None -> Ok(rs |> Array.choose (function Ok x -> Some x | Error _ -> None))

    /// The island's whole state: members, random stream, statistics and counters. `load` of it gives back an island
    /// that evolves exactly as this one would (constants are written to round-trip).
    let save (island: Island) : CheckpointIsland =
        { Rng = island.Rng.State
          NextBirth = island.NextBirth
          Evaluations = island.Evaluations
          Frequencies = island.Frequencies.Counts
          Members = island.Members |> Array.map saveMember }

    /// An island rebuilt from `save`, or why the state cannot be read.
    let load (context: IslandContext) (state: CheckpointIsland) : Result<Island, string> =
        if isNull (box state.Rng) || state.Rng.Length <> 4 then Error "an island state needs a four-word random state"
        elif isNull (box state.Members) || state.Members.Length < 1 then Error "an island state has no members"
        elif isNull (box state.Frequencies) || state.Frequencies.Length <> context.Space.MaxSize + 2 then
            Error "the island state was made for another maximum size"
        else
            all (state.Members |> Array.map (loadMember context))
            |> Result.map (fun members ->
                let island = Island(members, Rng.FromState state.Rng, ComplexityFrequencies(Array.copy state.Frequencies), state.NextBirth)
                island.AddEvaluations state.Evaluations
                island)

    /// The work unit a remote node runs: load the island, run one iteration, save it.
    let step (context: IslandContext) (interrupted: unit -> bool) (state: CheckpointIsland) : Result<CheckpointIsland, string> =
        load context state
        |> Result.map (fun island ->
            iterate context interrupted island
            save island)

    let private json = JsonSerializerOptions(NumberHandling = Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)

    /// An island state as JSON text (for messages).
    let stateToJson (state: CheckpointIsland) = JsonSerializer.Serialize(state, json)

    /// Reads `stateToJson` output.
    let stateOfJson (text: string) : Result<CheckpointIsland, string> =
        try
            match box (JsonSerializer.Deserialize<CheckpointIsland>(text, json)) with
            | :? CheckpointIsland as s -> Ok s
            | _ -> Error "empty island state"
        with :? JsonException as e -> Error(sprintf "not an island state (%s)" e.Message)

    /// Runs islands on up to `threads` threads of this process (None: all cores). Each island has its own random
    /// stream, so the outcome does not depend on the number of threads or the order in which islands finish.
    let inProcess (threads: int option) : IslandScheduler =
        let parallelism = ParallelOptions(MaxDegreeOfParallelism = (defaultArg threads Environment.ProcessorCount |> max 1))
        { new IslandScheduler with
            member _.Evolve(contexts, islands, interrupted) =
                Parallel.For(0, islands.Length, parallelism, fun i -> iterate contexts[i] interrupted islands[i]) |> ignore
                islands }
