namespace Symbolic.Search

open System
open Symbolic

/// Cheap structure detection that hands the evolutionary search good starting points (warm-start guesses), in the
/// spirit of AI Feynman's pre-processing: most laws of physics are power laws, or nearly linear in their inputs.
/// Each detector returns candidate expressions; none is trusted, they only join the initial populations.
[<RequireQualifiedAccess>]
module Seeding =
    /// Least squares for a small dense system: minimises |A p - b|^2 through the normal equations; None if singular.
    let private leastSquares (a: float[][]) (b: float[]) : float[] option =
        let n = a[0].Length
        let ata = Array2D.init n n (fun i j -> a |> Array.sumBy (fun row -> row[i] * row[j]))
        let atb = Array.init n (fun i -> Array.fold2 (fun acc (row: float[]) y -> acc + row[i] * y) 0.0 a b)
        // Gaussian elimination with partial pivoting.
        let m = Array2D.init n (n + 1) (fun i j -> if j < n then ata[i, j] else atb[i])
        let mutable singular = false
        for col in 0 .. n - 1 do
            let pivot = seq { col .. n - 1 } |> Seq.maxBy (fun r -> abs m[r, col])
            if abs m[pivot, col] < 1e-12 then singular <- true
            else
                for j in 0 .. n do
                    let t = m[col, j]
                    m[col, j] <- m[pivot, j]
                    m[pivot, j] <- t
                for r in 0 .. n - 1 do
                    if r <> col then
                        let f = m[r, col] / m[col, col]
                        for j in col .. n do
                            m[r, j] <- m[r, j] - f * m[col, j]
        if singular then None else Some(Array.init n (fun i -> m[i, n] / m[i, i]))

    /// Rounds an exponent to the nearest multiple of 1/2 or 1/3 when that is close, as an exact rational.
    let private niceExponent (a: float) : Expr =
        let candidates =
            [ for q in [ 1; 2; 3 ] -> Expr.fraction (int (Math.Round(a * float q))) q, abs (a - Math.Round(a * float q) / float q) ]
        let best, error = candidates |> List.minBy snd
        if error < 0.15 then best else Expr.approx a

    /// Sampled rows (at most `limit`, evenly spaced) to keep the detectors cheap on large tables.
    let private sampleRows (limit: int) (rows: int) =
        if rows <= limit then Array.init rows id else Array.init limit (fun i -> i * rows / limit)

    /// y = C * prod x_i^a_i fitted on logarithms where every input is positive and the target keeps one sign.
    /// Returns the guess with exponents rounded to halves or thirds and C refitted, and the same with free exponents.
    let powerLaw (data: Dataset) : Expr list =
        let rows = sampleRows 2000 data.Rows
        let positive = rows |> Array.forall (fun r -> data.Columns |> Array.forall (fun c -> c[r] > 0.0))
        let sign =
            if rows |> Array.forall (fun r -> data.Target[r] > 0.0) then 1.0
            elif rows |> Array.forall (fun r -> data.Target[r] < 0.0) then -1.0
            else 0.0
        if not positive || sign = 0.0 || data.Columns.Length = 0 then []
        else
            let design = rows |> Array.map (fun r -> Array.append [| 1.0 |] (data.Columns |> Array.map (fun c -> log c[r])))
            let logs = rows |> Array.map (fun r -> log (sign * data.Target[r]))
            match leastSquares design logs with
            | None -> []
            | Some p ->
                let monomial exponents =
                    Expr.product (List.mapi (fun i e -> Expr.power (Expr.variable data.Variables[i]) e) exponents)
                let withCoefficient (m: Expr) =
                    // Refit C in linear space: C = sum(y m) / sum(m^2).
                    let values = rows |> Array.map (fun r -> Evaluate.withValues (Array.map2 (fun n (c: float[]) -> n, c[r]) data.Variables data.Columns) m)
                    let num = Array.fold2 (fun acc y m -> acc + data.Target[y] * m) 0.0 rows values
                    let den = values |> Array.sumBy (fun m -> m * m)
                    if den > 0.0 && not (Double.IsNaN num) then Some(Expr.multiply (Expr.approx (num / den)) m) else None
                let rounded = p[1..] |> Array.map niceExponent |> List.ofArray
                let free = p[1..] |> Array.map Expr.approx |> List.ofArray
                [ withCoefficient (monomial rounded); withCoefficient (monomial free) ] |> List.choose id |> List.distinct

    /// y = c0 + sum c_i x_i by least squares.
    let linear (data: Dataset) : Expr list =
        let rows = sampleRows 2000 data.Rows
        let design = rows |> Array.map (fun r -> Array.append [| 1.0 |] (data.Columns |> Array.map (fun c -> c[r])))
        match leastSquares design (rows |> Array.map (fun r -> data.Target[r])) with
        | None -> []
        | Some p -> [ Expr.sum (Expr.approx p[0] :: (List.ofArray p[1..] |> List.mapi (fun i c -> Expr.approx c * Expr.variable data.Variables[i]))) ]

    /// All detectors' guesses.
    let guesses (data: Dataset) : Expr list = powerLaw data @ linear data
