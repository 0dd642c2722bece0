namespace Symbolic.Search

open System
open Symbolic

/// Evaluates trees on a dataset and turns predictions into losses. One instance per island (it owns scratch buffers).
[<Sealed>]
type Fitness(data: Dataset, loss: LossFunction) =
    let rows = data.Rows
    let weights = data.Weights
    let weightSum = match weights with Some w -> Array.sum w | None -> float rows
    // Scratch buffers for the recursive evaluation, reused across calls (depth-indexed pairs).
    let pool = Collections.Generic.Stack<float[]>()
    let rent n =
        if pool.Count > 0 && pool.Peek().Length >= n then pool.Pop() else Array.zeroCreate n
    let give (b: float[]) = pool.Push b

    /// Writes the tree's values for all rows into `output`; false on the first non-finite batch.
    let rec eval (t: Tree) (output: float[]) : bool =
        match t with
        | Const c ->
            Array.Fill(output, c, 0, rows)
            not (Double.IsNaN c || Double.IsInfinity c)
        | Var i ->
            Array.blit data.Columns[i] 0 output 0 rows
            true
        | Unary(op, a) ->
            let ok = eval a output
            if ok then
                match (Operators.byIndex op).Kernel with
                | VectorKernel.Unary k -> k.Invoke(output, output, rows)
                | VectorKernel.Binary _ -> ()
            ok && Numerics.Tensors.TensorPrimitives.IsFiniteAll(ReadOnlySpan(output, 0, rows))
        | Binary(op, a, b) ->
            let ok = eval a output
            if not ok then false
            else
                let right = rent rows
                let ok2 = eval b right
                if ok2 then
                    match (Operators.byIndex op).Kernel with
                    | VectorKernel.Binary k -> k.Invoke(output, right, output, rows)
                    | VectorKernel.Unary _ -> ()
                give right
                ok2 && Numerics.Tensors.TensorPrimitives.IsFiniteAll(ReadOnlySpan(output, 0, rows))

    let lossOf (prediction: float[]) =
        match loss with
        | MeanSquaredError ->
            let mutable s = 0.0
            match weights with
            | None ->
                for i in 0 .. rows - 1 do
                    let d = prediction[i] - data.Target[i]
                    s <- s + d * d
            | Some w ->
                for i in 0 .. rows - 1 do
                    let d = prediction[i] - data.Target[i]
                    s <- s + w[i] * d * d
            s / weightSum
        | MeanAbsoluteError ->
            let mutable s = 0.0
            for i in 0 .. rows - 1 do
                s <- s + (match weights with Some w -> w[i] | None -> 1.0) * abs (prediction[i] - data.Target[i])
            s / weightSum
        | Elementwise f ->
            let mutable s = 0.0
            for i in 0 .. rows - 1 do
                s <- s + (match weights with Some w -> w[i] | None -> 1.0) * f.Invoke(prediction[i], data.Target[i])
            s / weightSum
        | Objective f -> f.Invoke(prediction, data.Target, (match weights with Some w -> w | None -> null))

    let prediction = Array.zeroCreate rows

    member _.Data = data

    /// Predictions for all rows, or ValueNone if any is NaN or infinite.
    member _.Predict(t: Tree) : float[] voption =
        let out = Array.zeroCreate rows
        if eval t out then ValueSome out else ValueNone

    /// The loss on all rows; infinity when the tree is undefined somewhere on the data.
    member _.Loss(t: Tree) : float =
        if eval t prediction then
            let l = lossOf prediction
            if Double.IsNaN l then infinity else l
        else infinity

    /// The loss of always predicting the (weighted) mean target: the scale that costs are measured against.
    member _.BaselineLoss =
        let mean =
            match weights with
            | Some w -> Array.fold2 (fun acc y wi -> acc + y * wi) 0.0 data.Target w / weightSum
            | None -> Array.average data.Target
        let constant = Array.create rows mean
        max (lossOf constant) 1e-300

    /// The least-squares view of a tree's constants, for `ConstantFitting`.
    member this.Problem(t: Tree) : LeastSquaresProblem =
        let sqrtW = weights |> Option.map (Array.map sqrt)
        let residuals (p: float[]) =
            match this.Predict(Tree.withConstants p t) with
            | ValueSome pred ->
                let r = Array.init rows (fun i -> pred[i] - data.Target[i])
                match sqrtW with
                | Some s -> for i in 0 .. rows - 1 do r[i] <- r[i] * s[i]
                | None -> ()
                ValueSome r
            | ValueNone -> ValueNone
        { Residuals = residuals
          ResidualsAndJacobian =
            fun p ->
                match residuals p with
                | ValueNone -> ValueNone
                | ValueSome r ->
                    let jac =
                        Array.init p.Length (fun k ->
                            let h = 1e-6 * max 1.0 (abs p[k])
                            let up = Array.copy p
                            up[k] <- p[k] + h
                            let down = Array.copy p
                            down[k] <- p[k] - h
                            match residuals up, residuals down with
                            | ValueSome ru, ValueSome rd -> Array.init rows (fun i -> (ru[i] - rd[i]) / (2.0 * h))
                            | _ -> Array.create rows nan)
                    ValueSome(struct (r, jac)) }
