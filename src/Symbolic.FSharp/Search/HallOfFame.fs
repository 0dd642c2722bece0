namespace Symbolic.Search

/// The best member seen for each complexity; its Pareto front is the answer of a search.
[<Sealed>]
type HallOfFame(maxSize: int) =
    let best : Member option[] = Array.create (maxSize + 1) None

    /// Offers a member; kept if it beats the current holder of its complexity. Returns whether it was kept.
    member _.Offer(m: Member) =
        if m.Complexity < 1 || m.Complexity > maxSize || System.Double.IsNaN m.Loss || System.Double.IsInfinity m.Loss then false
        else
            match best[m.Complexity] with
            | Some current when current.Loss <= m.Loss -> false
            | _ ->
                best[m.Complexity] <- Some m
                true

    /// All holders, by complexity.
    member _.Members = best |> Array.choose id |> List.ofArray

    /// Members that no simpler member matches or beats, by increasing complexity (so losses strictly decrease).
    member this.ParetoFront =
        this.Members
        |> List.fold (fun (front, bestLoss) m -> if m.Loss < bestLoss then m :: front, m.Loss else front, bestLoss) ([], infinity)
        |> fst
        |> List.rev

[<RequireQualifiedAccess>]
module Selection =
    /// -d log(loss) / d complexity between consecutive members of a front; the first member scores 0.
    let scores (front: Member list) : (Member * float) list =
        front
        |> List.mapi (fun i m ->
            if i = 0 then m, 0.0
            else
                let prev = front[i - 1]
                let lossRatio = max m.Loss 1e-300 / max prev.Loss 1e-300
                m, -(log lossRatio) / float (m.Complexity - prev.Complexity))

    /// Chooses a model from a Pareto front (ascending complexity); None for an empty front. Losses below `floor` count
    /// as `floor`: differences at rounding-error level must not make a longer equation look better than an exact one.
    let choose (selection: ModelSelection) (floor: float) (front: Member list) : Member option =
        match front with
        | [] -> None
        | _ ->
            let front = front |> List.map (fun m -> { m with Loss = max m.Loss floor })
            let scored = scores front
            match selection with
            | Accuracy -> front |> List.minBy (fun m -> m.Loss) |> Some
            | Score -> scored |> List.maxBy snd |> fst |> Some
            | Best ->
                let lowest = front |> List.map (fun m -> m.Loss) |> List.min
                scored
                |> List.filter (fun (m, _) -> m.Loss <= 1.5 * lowest || (lowest <= 0.0 && m.Loss <= 0.0))
                |> List.maxBy snd
                |> fst
                |> Some
