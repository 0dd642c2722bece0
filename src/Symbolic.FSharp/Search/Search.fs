namespace Symbolic.Search

open System
open System.Diagnostics
open System.Threading
open Symbolic

/// All mutable state of a running search, in one place.
type private RunState =
    { mutable Islands: Island[]
      HallOfFame: HallOfFame
      Coordinator: Rng
      mutable Iteration: int
      mutable EvaluationsBefore: int64 }


/// Evolutionary symbolic regression: validate options -> create islands -> initialise -> main loop -> tear down ->
/// format the result.
[<RequireQualifiedAccess>]
module Search =
    /// The form an equation is reported in: simplified, and expanded when that is shorter (so 2.5*x*y - x*(x/x)
    /// reads 2.5*x*y - x), with constants folded.
    let display (e: Expr) : Expr =
        // Constants within 1e-12 (relative) of a simple value are that value: rounding noise of exact fits. Simple: a
        // whole number, or p/q, p/q*pi or p/(q*pi) with q up to 12 (-0.12500000000000003 is -1/8, sin(x +
        // 17.278759594743864) is -cos(x), 0.07957747154594767 is 1/(4*pi)). A fitted constant c lands that close to
        // one of them by chance with odds of about 1e-9 times |c|.
        let simple (c: float) =
            if abs (c - Math.Round c) <= 1e-12 * max 1.0 (abs c) && abs c < 1e15 then
                Some(Expr.rational (Rational.OfBigInt(Numerics.BigInteger(Math.Round c))))
            else
                [ for power in [ 0; 1; -1 ] do
                    let unit = Math.PI ** float power
                    for q in 1 .. 12 do
                        let p = Math.Round(c * float q / unit)
                        if p <> 0.0 && abs p <= 1e6 && abs (c - p / float q * unit) <= 1e-12 * abs c then
                            yield Expr.product [ Expr.fraction (int p) q; Expr.powerInt Expr.pi power ] ]
                |> List.tryHead
        let snapped =
            Expr.mapLeaves (function
                | Approx c when Double.IsFinite c -> defaultArg (simple c) (Approx c)
                | leaf -> leaf)
        let simplified = Simplify.simplify (snapped (Simplify.simplify e))
        // Expansion can grow exponentially (a sum to a high power); only small equations are worth trying.
        if Expr.size simplified > 40 then simplified
        else
            let expanded = Simplify.simplify (Simplify.expand simplified)
            if Expr.size expanded < Expr.size simplified then expanded else simplified

    /// Losses this far below the baseline (the variance of the target, for MSE) are rounding noise.
    let private lossFloor (baseline: float) = baseline * 1e-24

    /// The reported front: losses below the floor count as the floor, so longer equations that only improve on
    /// rounding noise do not appear.
    /// Displayed forms already computed, by tree: the front is reported after every iteration and mostly unchanged.
    let private displayed = System.Runtime.CompilerServices.ConditionalWeakTable<Tree, Expr>()

    let private displayOf (variables: string[]) (t: Tree) =
        displayed.GetValue(t, fun t -> display (Tree.toExpr variables t))

    let private frontOf (variables: string[]) (floor: float) (hof: HallOfFame) =
        let front =
            hof.ParetoFront
            |> List.fold (fun (kept, best) m ->
                let l = max m.Loss floor
                if l < best then m :: kept, l else kept, best) ([], infinity)
            |> fst
            |> List.rev
        Selection.scores front
        |> List.map (fun (m, score) ->
            { Expression = displayOf variables m.Tree
              Tree = m.Tree
              Complexity = m.Complexity
              Loss = m.Loss
              Score = score })

    let private chooseFrom (options: SearchOptions) (baseline: float) (hof: HallOfFame) (entries: FrontEntry list) =
        Selection.choose options.Selection (lossFloor baseline) hof.ParetoFront
        |> Option.bind (fun m -> entries |> List.tryFind (fun e -> e.Complexity = m.Complexity))

    /// Replaces random members of each island by migrants from the other islands' best and from the hall of fame.
    let private migrate (options: SearchOptions) (state: RunState) =
        let evo = options.Evolution
        let pool =
            state.Islands
            |> Array.collect (fun isl -> isl.Members |> Array.sortBy (fun m -> m.Cost) |> Array.truncate evo.MigrantPoolSize)
        let elite = state.HallOfFame.ParetoFront |> Array.ofList
        for island in state.Islands do
            for i in 0 .. island.Members.Length - 1 do
                if pool.Length > 0 && state.Coordinator.Chance evo.FractionReplaced then
                    island.Members[i] <- { pool[state.Coordinator.NextInt pool.Length] with Birth = island.Stamp() }
                elif elite.Length > 0 && state.Coordinator.Chance evo.FractionReplacedHallOfFame then
                    island.Members[i] <- { elite[state.Coordinator.NextInt elite.Length] with Birth = island.Stamp() }

    let private snapshot (options: SearchOptions) (data: Dataset) (state: RunState) (elapsed: TimeSpan) : CheckpointState =
        { FormatVersion = Checkpoint.Version
          Seed = options.Seed
          Iteration = state.Iteration
          ElapsedSeconds = elapsed.TotalSeconds
          Variables = data.Variables
          Coordinator = state.Coordinator.State
          Islands = state.Islands |> Array.map IslandWork.save
          HallOfFame = state.HallOfFame.Members |> List.map IslandWork.saveMember |> Array.ofList }

    /// Fresh islands, warm-started with the guesses.
    let private initialise (options: SearchOptions) (space: Space) (data: Dataset) (judges: Judge[]) (guesses: Expr list) =
        let coordinator = Rng.Create options.Seed
        let islandRngs = Array.init options.Evolution.Populations (fun _ -> coordinator.Split())
        let islands = Array.init options.Evolution.Populations (fun i -> Island.create judges[i] space options.Evolution islandRngs[i])
        // Warm start: every island gets each guess (constants tuned), in place of its first members.
        // User guesses may use any operator; detected structure only what the search space offers.
        let available i = Array.contains i space.Binary || Array.contains i space.Unary
        let detected = if options.StructureSeeding then Seeding.guesses data else []
        let seeds =
            (guesses |> List.choose (fun g -> Tree.ofExpr data.Variables g |> Result.toOption))
            @ (detected |> List.choose (fun g -> Tree.ofExprWith available data.Variables g |> Result.toOption))
        islands |> Array.iteri (fun k island ->
            seeds |> List.iteri (fun i tree ->
                if i < island.Members.Length then
                    let tuned, loss = judges[k].OptimiseConstants tree island.Rng
                    let c = Space.complexity space tuned
                    island.Members[i] <- { Tree = tuned; Loss = loss; Complexity = c; Cost = judges[k].Cost loss c; Birth = island.Stamp(); Simplified = false }))
        let state =
            { Islands = islands
              HallOfFame = HallOfFame(space.MaxSize)
              Coordinator = coordinator
              Iteration = 0
              EvaluationsBefore = 0L }
        for island in islands do
            for m in island.Members do
                state.HallOfFame.Offer m |> ignore
        state

    /// Islands and hall of fame rebuilt from a checkpoint.
    let private restore (options: SearchOptions) (data: Dataset) (contexts: IslandContext[]) (saved: CheckpointState) =
        if saved.Variables <> data.Variables then
            Error(sprintf "the checkpoint was made with variables %s, the data has %s"
                      (String.Join(",", saved.Variables)) (String.Join(",", data.Variables)))
        elif saved.Islands.Length <> options.Evolution.Populations then
            Error(sprintf "the checkpoint has %d populations, the options ask for %d" saved.Islands.Length options.Evolution.Populations)
        else
            let islands = saved.Islands |> Array.mapi (fun i isl -> IslandWork.load contexts[i] isl) |> IslandWork.all
            let fame = saved.HallOfFame |> Array.map (IslandWork.loadMember contexts[0]) |> IslandWork.all
            match islands, fame with
            | Error e, _
            | _, Error e -> Error e
            | Ok islands, Ok fame ->
                let state =
                    { Islands = islands
                      HallOfFame = HallOfFame(contexts[0].Space.MaxSize)
                      Coordinator = Rng.FromState saved.Coordinator
                      Iteration = saved.Iteration
                      EvaluationsBefore = 0L }
                for m in fame do
                    state.HallOfFame.Offer m |> ignore
                Ok state

    let private execute (scheduler: IslandScheduler) (options: SearchOptions) (data: Dataset)
                        (start: Space -> Dataset -> IslandContext[] -> Result<RunState * TimeSpan, string>)
                        (progress: SearchProgress -> unit) (cancel: CancellationToken) : Result<SearchResult, string> =
        match IslandWork.validate options data with
        | Error e -> Error e
        | Ok(space, data) ->
        match IslandWork.contexts options data options.Evolution.Populations with
        | Error e -> Error e
        | Ok contexts ->
            let judges = contexts |> Array.map (fun c -> c.Judge)
            let baseline = contexts[0].Baseline
            match start space data contexts with
            | Error e -> Error e
            | Ok(state, previouslyElapsed) ->
            let clock = Stopwatch.StartNew()
            let elapsed () = previouslyElapsed + clock.Elapsed
            let evaluations () = state.Islands |> Array.sumBy (fun i -> i.Evaluations)
            let bestLoss () = state.HallOfFame.Members |> List.fold (fun acc m -> min acc m.Loss) infinity
            let mutable lastCheckpoint : TimeSpan option = None
            let stop () =
                let s = options.Stopping
                if cancel.IsCancellationRequested then Some Cancelled
                elif s.TargetLoss |> Option.exists (fun t -> bestLoss () <= t) then Some TargetReached
                elif s.Timeout |> Option.exists (fun t -> elapsed () >= t) then Some TimeLimit
                elif s.MaxEvaluations |> Option.exists (fun n -> evaluations () >= n) then Some EvaluationLimit
                elif state.Iteration >= (match s.Iterations, s.Timeout, s.MaxEvaluations, s.TargetLoss with
                                          | Some n, _, _, _ -> n
                                          | None, None, None, None -> 100
                                          | None, _, _, _ -> Int32.MaxValue) then Some IterationLimit
                else None
            let mutable reason = stop ()
            while reason.IsNone do
                // Islands evolve independently, each with its own random stream: the outcome does not depend on
                // how many threads run them or in which order they finish.
                let interrupted () =
                    cancel.IsCancellationRequested || options.Stopping.Timeout |> Option.exists (fun t -> elapsed () >= t)
                state.Islands <- scheduler.Evolve(contexts, state.Islands, interrupted)
                for island in state.Islands do
                    for m in island.Members do
                        state.HallOfFame.Offer m |> ignore
                    island.Frequencies.Decay()
                migrate options state
                state.Iteration <- state.Iteration + 1
                match options.CheckpointPath with
                | Some path when lastCheckpoint |> Option.forall (fun last -> elapsed () - last >= options.CheckpointInterval) ->
                    Checkpoint.write path (snapshot options data state (elapsed ()))
                    lastCheckpoint <- Some(elapsed ())
                | _ -> ()
                let evals = evaluations ()
                progress
                    { Iteration = state.Iteration
                      Evaluations = evals
                      EvaluationsPerSecond = float evals / max 1e-9 (elapsed ()).TotalSeconds
                      BestLoss = bestLoss ()
                      Elapsed = elapsed ()
                      Front = frontOf data.Variables (lossFloor baseline) state.HallOfFame }
                reason <- stop ()
            // Polish the hall of fame: round constants that are whole numbers up to rounding noise.
            let tolerance = lossFloor baseline
            let available i = Array.contains i space.Binary || Array.contains i space.Unary
            let offer (m: Member) tree loss =
                let c = Space.complexity space tree
                state.HallOfFame.Offer { m with Tree = tree; Loss = loss; Complexity = c; Cost = judges[0].Cost loss c } |> ignore
            for m in state.HallOfFame.Members do
                let tree, loss = Tidy.tree judges[0].FullLoss tolerance m.Tree
                if not (obj.ReferenceEquals(tree, m.Tree)) then offer m tree loss
                // The displayed form may be a shorter tree (expanded, whole numbers exact): keep it if it fits as well.
                match Tree.ofExprWith available data.Variables (display (Tree.toExpr data.Variables tree)) with
                | Ok shorter when Space.complexity space shorter < Space.complexity space tree ->
                    let l = judges[0].FullLoss shorter
                    if l <= max (loss * (1.0 + 1e-9)) tolerance then
                        // Folding may leave a whole number up to rounding noise (0.37*e^0.99 = 0.99999999).
                        let tidied, tidiedLoss = Tidy.tree judges[0].FullLoss tolerance shorter
                        offer m tidied tidiedLoss
                | _ -> ()
            let front = frontOf data.Variables (lossFloor baseline) state.HallOfFame
            Ok
                { Front = front
                  Chosen = chooseFrom options baseline state.HallOfFame front
                  Iterations = state.Iteration
                  Evaluations = evaluations ()
                  Elapsed = elapsed ()
                  StoppedBy = defaultArg reason IterationLimit
                  Seed = options.Seed
                  Variables = data.Variables }

    /// Runs a search on `data` with islands evolving on `scheduler` (in this process or on a cluster), seeded with
    /// `guesses` (may be empty), reporting after each iteration and stopping at the first stopping rule or when
    /// `cancel` fires (returning what was found so far). The coordinator's work (migration, hall of fame, stopping
    /// rules, checkpoints, progress) runs here whatever the scheduler. The same seed, options and data give the same
    /// front, whatever the scheduler or the number of threads; a time limit or cancellation cuts the last iteration
    /// short wherever each island happens to be, so only runs stopped by iterations, evaluations or target loss are
    /// reproducible to the bit.
    let runOn (scheduler: IslandScheduler) (options: SearchOptions) (data: Dataset) (guesses: Expr list)
              (progress: SearchProgress -> unit) (cancel: CancellationToken) : Result<SearchResult, string> =
        execute scheduler options data (fun space data contexts ->
            Ok(initialise options space data (contexts |> Array.map (fun c -> c.Judge)) guesses, TimeSpan.Zero)) progress cancel

    /// Continues a search from a checkpoint written by `runOn` or `run` (same options and data) on `scheduler`; it
    /// goes on exactly as the original run would have after that iteration. Stopping rules count from the original
    /// start.
    let resumeOn (scheduler: IslandScheduler) (options: SearchOptions) (data: Dataset) (checkpointPath: string)
                 (progress: SearchProgress -> unit) (cancel: CancellationToken) : Result<SearchResult, string> =
        match Checkpoint.read checkpointPath with
        | Error e -> Error e
        | Ok saved ->
            execute scheduler options data (fun _ data contexts ->
                restore options data contexts saved |> Result.map (fun s -> s, TimeSpan.FromSeconds saved.ElapsedSeconds)) progress cancel

    /// `runOn` with islands on `options.Threads` threads of this process.
    let run (options: SearchOptions) (data: Dataset) (guesses: Expr list) (progress: SearchProgress -> unit)
            (cancel: CancellationToken) : Result<SearchResult, string> =
        runOn (IslandWork.inProcess options.Threads) options data guesses progress cancel

    /// `resumeOn` with islands on `options.Threads` threads of this process.
    let resume (options: SearchOptions) (data: Dataset) (checkpointPath: string) (progress: SearchProgress -> unit)
               (cancel: CancellationToken) : Result<SearchResult, string> =
        resumeOn (IslandWork.inProcess options.Threads) options data checkpointPath progress cancel
