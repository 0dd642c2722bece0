namespace Symbolic.Search

open System

/// The table a search fits: named input columns, the target, and optional sample weights.
type Dataset =
    { Variables: string[]
      /// One array per variable, all of the target's length.
      Columns: float[][]
      Target: float[]
      Weights: float[] option }

    member d.Rows = d.Target.Length

[<RequireQualifiedAccess>]
module Dataset =
    /// Checks shapes and values; Error says which column or row is wrong.
    let validate (d: Dataset) : Result<Dataset, string> =
        let finite (xs: float[]) = xs |> Array.tryFindIndex (fun x -> Double.IsNaN x || Double.IsInfinity x)
        if d.Variables.Length <> d.Columns.Length then Error(sprintf "%d variable names for %d columns" d.Variables.Length d.Columns.Length)
        elif d.Target.Length = 0 then Error "no rows"
        else
            let badLength = d.Columns |> Array.tryFindIndex (fun c -> c.Length <> d.Target.Length)
            match badLength with
            | Some i -> Error(sprintf "column '%s' has %d rows, the target %d" d.Variables[i] d.Columns[i].Length d.Target.Length)
            | None ->
                let badValue =
                    Array.append (Array.map2 (fun n c -> n, c) d.Variables d.Columns) [| "target", d.Target |]
                    |> Array.tryPick (fun (n, c) -> finite c |> Option.map (fun row -> n, row))
                match badValue, d.Weights with
                | Some(n, row), _ -> Error(sprintf "column '%s', row %d: value is not a finite number" n (row + 1))
                | None, Some w when w.Length <> d.Target.Length -> Error(sprintf "%d weights for %d rows" w.Length d.Target.Length)
                | None, Some w when w |> Array.exists (fun x -> not (x >= 0.0) || Double.IsInfinity x) -> Error "weights must be finite and non-negative"
                | None, _ -> Ok d

    /// The rows at the given indices.
    let subset (rows: int[]) (d: Dataset) =
        { d with
            Columns = d.Columns |> Array.map (fun c -> rows |> Array.map (fun r -> c[r]))
            Target = rows |> Array.map (fun r -> d.Target[r])
            Weights = d.Weights |> Option.map (fun w -> rows |> Array.map (fun r -> w[r])) }
