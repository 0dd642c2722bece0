namespace Symbolic.Search

open System
open Symbolic

/// Evaluates trees on a dataset through the core's batched evaluator and turns predictions into losses. One instance
/// per island: it owns the evaluator workspace and scratch buffers (not thread-safe).
[<Sealed>]
type Fitness(data: Dataset, loss: LossFunction, batchSize: int option, seed: int64) =
    let rows = data.Rows
    // Candidates live too briefly to repay fusing (see Evaluator): the search stays on the interpreter tier.
    let workspace = Workspace(Evaluator.defaultBatchSize, false)
    let parameterNames = Array.init 64 (fun i -> sprintf "c%d" i)
    let prediction = Array.zeroCreate<float> rows

    // Mini-batches: a fixed set of random row subsets drawn once, so that judging a candidate costs a batch's rows
    // and the draw stays reproducible. Each batch holds its own columns, target and weights.
    let batches =
        match batchSize with
        | Some size when size < rows ->
            let rng = Rng.Create(seed ^^^ 0x5EEDL)
            Array.init 32 (fun _ -> Dataset.subset (Array.init size (fun _ -> rng.NextInt rows)) data)
        | _ -> [||]
    let batchPrediction = Array.zeroCreate<float> (match batchSize with Some s -> min s rows | None -> 0)

    let lossOf (d: Dataset) (p: float[]) =
        let n = d.Rows
        let weightSum = match d.Weights with Some w -> Array.sum w | None -> float n
        let weight i = match d.Weights with Some w -> w[i] | None -> 1.0
        let l =
            match loss with
            | MeanSquaredError ->
                let mutable s = 0.0
                match d.Weights with
                | None ->
                    for i in 0 .. n - 1 do
                        let e = p[i] - d.Target[i]
                        s <- s + e * e
                | Some w ->
                    for i in 0 .. n - 1 do
                        let e = p[i] - d.Target[i]
                        s <- s + w[i] * e * e
                s / weightSum
            | MeanAbsoluteError ->
                let mutable s = 0.0
                for i in 0 .. n - 1 do
                    s <- s + weight i * abs (p[i] - d.Target[i])
                s / weightSum
            | Elementwise f ->
                let mutable s = 0.0
                for i in 0 .. n - 1 do
                    s <- s + weight i * f.Invoke(p[i], d.Target[i])
                s / weightSum
            | Objective f -> f.Invoke(p, d.Target, (match d.Weights with Some w -> w | None -> null))
        if Double.IsNaN l then infinity else l

    /// The postfix program of a tree with its constants as parameters c0, c1, ... (in `Tree.constants` order).
    let compile (t: Tree) : Program =
        let instructions = ResizeArray<Instruction>()
        let mutable k = 0
        let rec emit t =
            match t with
            | Const _ ->
                instructions.Add(LoadParameter k)
                k <- k + 1
            | Var i -> instructions.Add(LoadVariable i)
            | Unary(op, a) ->
                emit a
                instructions.Add(Call op)
            | Binary(op, a, b) ->
                emit a
                emit b
                instructions.Add(Call op)
        emit t
        let values = Tree.constants t
        let names = if values.Length <= parameterNames.Length then Array.sub parameterNames 0 values.Length else Array.init values.Length (sprintf "c%d")
        match Program.create data.Variables names values (instructions.ToArray()) with
        | Ok p -> p
        | Error e -> invalidOp (sprintf "the search built an invalid program: %s" e)

    let evaluate (program: Program) (parameters: float[]) (d: Dataset) (output: float[]) =
        (Evaluator.evaluateInto workspace program parameters d.Columns output).Ok

    member _.Data = data

    /// Predictions for all rows, or ValueNone if any is NaN or infinite.
    member _.Predict(t: Tree) : float[] voption =
        let program = compile t
        let out = Array.zeroCreate rows
        if evaluate program program.ParameterValues data out then ValueSome out else ValueNone

    /// The loss on all rows; infinity when the tree is undefined somewhere on the data.
    member _.Loss(t: Tree) : float =
        let program = compile t
        if evaluate program program.ParameterValues data prediction then lossOf data prediction else infinity

    /// The loss on one of the random mini-batches (all rows when not batching).
    member this.BatchLoss(t: Tree, rng: Rng) : float =
        if batches.Length = 0 then this.Loss t
        else
            let batch = batches[rng.NextInt batches.Length]
            let program = compile t
            if evaluate program program.ParameterValues batch batchPrediction then lossOf batch batchPrediction else infinity

    /// The loss of always predicting the (weighted) mean target: the scale that costs are measured against.
    member _.BaselineLoss =
        let weightSum = match data.Weights with Some w -> Array.sum w | None -> float rows
        let mean =
            match data.Weights with
            | Some w -> Array.fold2 (fun acc y wi -> acc + y * wi) 0.0 data.Target w / weightSum
            | None -> Array.average data.Target
        max (lossOf data (Array.create rows mean)) 1e-300

    /// The least-squares view of a tree's constants, for `ConstantFitting` (residuals weighted by sqrt(weight)).
    member _.Problem(t: Tree) : LeastSquaresProblem =
        let program = compile t
        let sqrtW = data.Weights |> Option.map (Array.map sqrt)
        let toResiduals (values: float[]) =
            let r = Array.zeroCreate rows
            for i in 0 .. rows - 1 do
                r[i] <- values[i] - data.Target[i]
            match sqrtW with
            | Some s ->
                for i in 0 .. rows - 1 do
                    r[i] <- r[i] * s[i]
            | None -> ()
            r
        let jacobian = Array.init program.Parameters.Length (fun _ -> Array.zeroCreate<float> rows)
        let values = Array.zeroCreate<float> rows
        { Residuals =
            fun p -> if evaluate program p data values then ValueSome(toResiduals values) else ValueNone
          ResidualsAndJacobian =
            fun p ->
                let status = Evaluator.gradientInto workspace program p data.Columns values jacobian
                if not status.Ok then ValueNone
                else
                    let jac =
                        match sqrtW with
                        | None -> jacobian |> Array.map Array.copy
                        | Some s -> jacobian |> Array.map (fun col -> Array.init rows (fun i -> col[i] * s[i]))
                    ValueSome(struct (toResiduals values, jac)) }
