namespace Symbolic.Search

open System

/// How an island judges and improves candidates; supplied by the search so islands know nothing about data.
type Judge =
    { /// Loss of a tree on the data the island selects with (a mini-batch drawn with the rng while batching).
      Loss: Tree -> Rng -> float
      /// Loss on all rows.
      FullLoss: Tree -> float
      /// Tunes a tree's constants; returns the tree and its full-data loss.
      OptimiseConstants: Tree -> Rng -> Tree * float
      /// A simpler equivalent tree (or the same one).
      Simplify: Tree -> Tree
      /// Loss normalised to cost: divided by the baseline loss, plus parsimony.
      Cost: float -> int -> float
      /// Whether `Loss` judges on mini-batches (then members are re-judged on all rows once per iteration).
      Batched: bool }

/// One population with its own random stream, statistics and age counter. Only the thread running the island touches
/// it during an iteration.
[<Sealed>]
type Island(members: Member[], rng: Rng, frequencies: ComplexityFrequencies, nextBirth: int64) =
    let mutable birth = nextBirth
    let mutable evaluations = 0L

    member _.Members = members
    member _.Rng = rng
    member _.Frequencies = frequencies
    member _.NextBirth = birth
    member _.Evaluations = evaluations

    /// A new birth stamp.
    member _.Stamp() =
        birth <- birth + 1L
        birth

    member _.CountEvaluations(n: int) = evaluations <- evaluations + int64 n

    /// Adds evaluations counted elsewhere (a restored island's past).
    member _.AddEvaluations(n: int64) = evaluations <- evaluations + n

    /// Removes the oldest member and puts `m` in its place.
    member _.ReplaceOldest(m: Member) =
        let mutable oldest = 0
        for i in 1 .. members.Length - 1 do
            if members[i].Birth < members[oldest].Birth then oldest <- i
        members[oldest] <- m

[<RequireQualifiedAccess>]
module Island =
    let private makeMember (judge: Judge) (space: Space) (island: Island) (tree: Tree) (loss: float) =
        let complexity = Space.complexity space tree
        { Tree = tree
          Loss = loss
          Cost = judge.Cost loss complexity
          Complexity = complexity
          Birth = island.Stamp(); Simplified = false }

    /// Judges a tree and wraps it as a new member.
    let judgeTree (judge: Judge) (space: Space) (island: Island) (tree: Tree) =
        island.CountEvaluations 1
        makeMember judge space island tree (judge.Loss tree island.Rng)

    /// A new island of random trees.
    let create (judge: Judge) (space: Space) (evolution: EvolutionOptions) (rng: Rng) =
        let island = Island(Array.zeroCreate evolution.PopulationSize, rng, ComplexityFrequencies(space.MaxSize), 0L)
        for i in 0 .. evolution.PopulationSize - 1 do
            let tree = Space.randomTree space rng (1 + rng.NextInt 5)
            island.Members[i] <- judgeTree judge space island tree
            island.Frequencies.Add island.Members[i].Complexity
        island

    /// Tournament selection: sample `size` members, rank them by cost adjusted for how crowded their complexity is,
    /// take the best with probability p, else the next with the same odds, and so on.
    let tournament (evolution: EvolutionOptions) (island: Island) : Member =
        let rng = island.Rng
        let members = island.Members
        let n = min evolution.TournamentSize members.Length
        // Partial Fisher-Yates over indices: n distinct members.
        let indices = Array.init members.Length id
        for i in 0 .. n - 1 do
            let j = i + rng.NextInt(members.Length - i)
            let t = indices[i]
            indices[i] <- indices[j]
            indices[j] <- t
        let adjusted (m: Member) =
            // Compare in log space: the adaptive factor exp(scaling * frequency) can be astronomically large.
            let c = if Double.IsNaN m.Cost then infinity else m.Cost
            log (max c 1e-300) + evolution.AdaptiveParsimonyScaling * island.Frequencies.Frequency m.Complexity
        let ranked = indices |> Array.take n |> Array.map (fun i -> members[i]) |> Array.sortBy adjusted
        let mutable chosen = ranked.Length - 1
        let mutable k = 0
        while k < ranked.Length - 1 && chosen = ranked.Length - 1 do
            if rng.Chance evolution.TournamentProbability then chosen <- k
            k <- k + 1
        ranked[chosen]

    let private applyMutation (judge: Judge) (options: SearchOptions) (space: Space) (rng: Rng) (temperature: float)
                              (mutation: Mutation) (t: Tree) =
        match mutation with
        | MutateConstant -> Mutations.mutateConstant options.Evolution.PerturbationFactor temperature rng t
        | MutateOperator -> Mutations.mutateOperator space rng t
        | SwapOperands -> Mutations.swapOperands rng t
        | AddNode -> Mutations.addNode space rng t
        | InsertNode -> Mutations.insertNode space rng t
        | DeleteNode -> Mutations.deleteNode rng t
        | Rotate -> Mutations.rotate rng t
        | Randomize -> Mutations.randomize space rng t
        | SimplifyTree -> Mutated(judge.Simplify t)
        | OptimizeConstants -> Mutated(fst (judge.OptimiseConstants t rng))
        | DoNothing -> Mutated t

    /// One mutation of a tournament winner, retried until the child fits the constraints; then accepted or not
    /// (annealing and adaptive parsimony), and put in place of the oldest member.
    let private mutationStep (judge: Judge) (options: SearchOptions) (space: Space) (island: Island) (temperature: float) =
        let rng = island.Rng
        let parent = tournament options.Evolution island
        let mutation = Mutations.choose options.Mutations rng parent.Tree
        let rec attempt tries =
            if tries = 0 then None
            else
                match applyMutation judge options space rng temperature mutation parent.Tree with
                | Mutated child when Space.allows space child -> Some child
                | _ -> attempt (tries - 1)
        let child =
            match attempt 10 with
            | Some tree when mutation <> DoNothing ->
                let c = judgeTree judge space island tree
                let evolution = options.Evolution
                let mutable probability = 1.0
                if evolution.Annealing then
                    let delta = c.Cost - parent.Cost
                    probability <- exp (-delta / (evolution.Alpha * max temperature 1e-6))
                if evolution.AdaptiveParsimonyScaling > 0.0 then
                    probability <- probability * island.Frequencies.Frequency parent.Complexity / island.Frequencies.Frequency c.Complexity
                if probability >= 1.0 || rng.Chance probability then c
                else { parent with Birth = island.Stamp() }
            | _ -> { parent with Birth = island.Stamp() }
        island.ReplaceOldest child
        island.Frequencies.Add child.Complexity

    /// Crossover of two tournament winners; both children replace the oldest members.
    let private crossoverStep (judge: Judge) (space: Space) (evolution: EvolutionOptions) (island: Island) =
        let a = tournament evolution island
        let b = tournament evolution island
        let rec attempt tries =
            if tries = 0 then None
            else
                let c1, c2 = Mutations.crossover island.Rng a.Tree b.Tree
                if Space.allows space c1 && Space.allows space c2 then Some(c1, c2) else attempt (tries - 1)
        match attempt 10 with
        | Some(c1, c2) ->
            for child in [ c1; c2 ] do
                let m = judgeTree judge space island child
                island.ReplaceOldest m
                island.Frequencies.Add m.Complexity
        | None -> ()

    /// Runs `CyclesPerIteration` evolution steps (temperature falling from 1 to 0 when annealing). `interrupted` is
    /// polled every few cycles so that time limits and cancellation take effect within an iteration.
    let evolve (judge: Judge) (options: SearchOptions) (space: Space) (interrupted: unit -> bool) (island: Island) =
        let cycles = options.Evolution.CyclesPerIteration
        let mutable cycle = 0
        while cycle < cycles && not (cycle % 8 = 0 && interrupted ()) do
            let temperature = if options.Evolution.Annealing then 1.0 - float cycle / float (max 1 (cycles - 1)) else 1.0
            if island.Rng.Chance options.Evolution.CrossoverProbability then
                crossoverStep judge space options.Evolution island
            else mutationStep judge options space island temperature
            cycle <- cycle + 1

    /// Simplifies every new member, optimises the constants of a random share, and makes sure every member's loss is
    /// on all rows. Members unchanged since the last pass keep their loss (`Simplified` marks them).
    let optimiseAndSimplify (judge: Judge) (options: SearchOptions) (space: Space) (island: Island) =
        let rng = island.Rng
        for i in 0 .. island.Members.Length - 1 do
            let m = island.Members[i]
            let simplified =
                if m.Simplified then m.Tree
                else
                    let s = judge.Simplify m.Tree
                    if Space.allows space s then s else m.Tree
            let unchanged = obj.ReferenceEquals(simplified, m.Tree) || simplified = m.Tree
            let tree, loss =
                if Tree.constantCount simplified > 0 && rng.Chance options.Constants.Probability then
                    island.CountEvaluations(options.Constants.Iterations * (options.Constants.Restarts + 1))
                    judge.OptimiseConstants simplified rng
                elif unchanged && (m.Simplified || not judge.Batched) then m.Tree, m.Loss
                else
                    island.CountEvaluations 1
                    simplified, judge.FullLoss simplified
            let complexity = Space.complexity space tree
            island.Members[i] <- { m with Tree = tree; Loss = loss; Complexity = complexity; Cost = judge.Cost loss complexity; Simplified = true }
