namespace Symbolic.Search

open System
open Symbolic

/// Cheap structure detection that hands the evolutionary search good starting points (warm-start guesses), in the
/// spirit of AI Feynman's pre-processing: most laws of physics are power laws, or nearly linear in their inputs.
/// Each detector returns candidate expressions; none is trusted, they only join the initial populations.
[<RequireQualifiedAccess>]
module Seeding =
    /// Solves the k x k system `m c = v` (symmetric positive definite in practice) by elimination; None if singular.
    let private solveSmall (m: float[,]) (v: float[]) : float[] option =
        let k = v.Length
        let a = Array2D.init k (k + 1) (fun i j -> if j < k then m[i, j] else v[i])
        let mutable ok = true
        for col in 0 .. k - 1 do
            if ok then
                let pivot = seq { col .. k - 1 } |> Seq.maxBy (fun r -> abs a[r, col])
                if abs a[pivot, col] < 1e-12 then ok <- false
                else
                    for j in 0 .. k do
                        let t = a[col, j]
                        a[col, j] <- a[pivot, j]
                        a[pivot, j] <- t
                    for r in 0 .. k - 1 do
                        if r <> col then
                            let f = a[r, col] / a[col, col]
                            for j in col .. k do
                                a[r, j] <- a[r, j] - f * a[col, j]
        if ok then Some(Array.init k (fun i -> a[i, k] / a[i, i])) else None

    /// Least squares for a small dense system: minimises |A p - b|^2 through the normal equations; None if singular.
    let private leastSquares (a: float[][]) (b: float[]) : float[] option =
        let n = a[0].Length
        let ata = Array2D.init n n (fun i j -> a |> Array.sumBy (fun row -> row[i] * row[j]))
        let atb = Array.init n (fun i -> Array.fold2 (fun acc (row: float[]) y -> acc + row[i] * y) 0.0 a b)
        solveSmall ata atb

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

    /// Exponent vectors of every monomial of total degree at most `degree` in `n` variables, the constant first.
    let private monomials (n: int) (degree: int) : int[] list =
        let rec build (i: int) (left: int) : int list list =
            if i = n then [ [] ]
            else [ for k in 0 .. left do for rest in build (i + 1) (left - k) -> k :: rest ]
        build 0 degree |> List.map Array.ofList |> List.sortBy Array.sum

    /// Every subset of 0 .. n-1 with `size` elements, in lexicographic order.
    let rec private subsets (n: int) (size: int) (from: int) : int list seq =
        if size = 0 then Seq.singleton []
        else seq { for i in from .. n - size do for rest in subsets n (size - 1) (i + 1) -> i :: rest }

    /// y = P(x) / Q(x) with P and Q sparse polynomials of degree at most 2 (SINDy-PI's implicit form): for each choice
    /// of the leading monomial q0 of Q, y q0 = P(x) - y (Q(x) - q0) is linear in the coefficients. Every support of up
    /// to four terms among the monomials and the monomials times y is tried (exhaustively: greedy selection fails on
    /// monomials this correlated), scored from one Gram matrix. Catches weighted means, lens-type laws and saturating
    /// rates that the power-law and linear fits miss. At most four variables (the design grows as their square). Exact
    /// data only: with noise the detector offers nothing.
    let rational (data: Dataset) : Expr list =
        let n = data.Columns.Length
        if n = 0 || n > 4 then []
        else
            let rows = sampleRows 300 data.Rows
            let y = rows |> Array.map (fun r -> data.Target[r])
            let terms = monomials n 2 |> Array.ofList
            let t = terms.Length
            let value (exponents: int[]) (r: int) =
                let mutable v = 1.0
                for i in 0 .. n - 1 do
                    for _ in 1 .. exponents[i] do
                        v <- v * data.Columns[i][r]
                v
            let plain = terms |> Array.map (fun e -> rows |> Array.map (value e))
            // Features 0 .. t-1: the monomials; t .. 2t-1: minus y times them. Scaled to unit norm.
            let raw = Array.append plain (plain |> Array.map (fun c -> Array.map2 (fun a b -> -a * b) y c))
            let finite = raw |> Array.forall (Array.forall Double.IsFinite)
            let norms = raw |> Array.map (fun c -> sqrt (Array.sumBy (fun x -> x * x) c))
            if not finite || norms |> Array.exists (fun x -> x = 0.0 || not (Double.IsFinite x)) then []
            else
                let f = Array.map2 (fun (c: float[]) s -> Array.map (fun x -> x / s) c) raw norms
                let gram = Array2D.init (2 * t) (2 * t) (fun i j -> Array.fold2 (fun acc a b -> acc + a * b) 0.0 f[i] f[j])
                let monomial (exponents: int[]) =
                    Expr.product [ for i in 0 .. n - 1 do if exponents[i] > 0 then Expr.powerInt (Expr.variable data.Variables[i]) exponents[i] ]
                let most = if n <= 3 then 4 else 3
                [ for lead in 0 .. t - 1 do
                    // The target y q0 is feature t + lead with the sign flipped: |target|^2 = 1 in scaled units.
                    let target = t + lead
                    let candidates = [| for j in 0 .. 2 * t - 1 do if j <> target then j |]
                    let fit (support: int list) =
                        let s = Array.ofList support
                        let m = Array2D.init s.Length s.Length (fun i j -> gram[candidates[s[i]], candidates[s[j]]])
                        let v = s |> Array.map (fun i -> -gram[candidates[i], target])
                        solveSmall m v |> Option.map (fun c -> s, c, sqrt (max 0.0 (1.0 - Array.fold2 (fun acc a b -> acc + a * b) 0.0 c v)))
                    let best size =
                        subsets candidates.Length size 0
                        |> Seq.filter (List.exists (fun i -> candidates[i] < t))
                        |> Seq.choose fit
                        |> Seq.fold (fun acc (s, c, e) -> match acc with Some(_, _, e0) when e0 <= e -> acc | _ -> Some(s, c, e)) None
                    let path = [ for size in 1 .. most do match best size with Some m -> yield m | None -> () ]
                    // Only a model that fits to rounding is offered: on a smooth non-rational function a ratio of
                    // quadratics fits to a few parts in a thousand, and such a seed lures the search away from the truth.
                    let accepted = path |> List.tryFind (fun (_, _, e) -> e < 1e-7)
                    match accepted with
                    | Some(support, coefficients, error) ->
                        // Unscale: target / |raw target| = sum c_i raw_i / |raw_i|, and the target is -(raw feature).
                        let scale i = norms[target] / norms[candidates[support[i]]]
                        let numerator =
                            [ for i in 0 .. support.Length - 1 do
                                let j = candidates[support[i]]
                                if j < t then Expr.approx (coefficients[i] * scale i) * monomial terms[j] ]
                        let denominator =
                            monomial terms[lead]
                            :: [ for i in 0 .. support.Length - 1 do
                                    let j = candidates[support[i]]
                                    if j >= t then Expr.approx (coefficients[i] * scale i) * monomial terms[j - t] ]
                        yield error, Expr.divide (Expr.sum numerator) (Expr.sum denominator)
                    | None -> () ]
                |> List.sortBy fst
                |> List.map snd
                |> List.distinct
                |> List.truncate 4

    /// All detectors' guesses.
    let guesses (data: Dataset) : Expr list = powerLaw data @ linear data @ rational data
