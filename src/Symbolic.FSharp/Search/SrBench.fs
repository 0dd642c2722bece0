namespace Symbolic.Search

open System
open System.Globalization
open System.IO
open System.Threading
open Symbolic

/// One ground-truth problem: an equation and the range to sample each variable from.
type BenchmarkProblem =
    { Id: string
      Output: string
      Formula: string
      Truth: Expr
      Ranges: (string * float * float) list }

/// How one problem went.
type BenchmarkOutcome =
    { Problem: BenchmarkProblem
      Found: Expr option
      SymbolicSolution: bool
      R2Test: float
      Seconds: float
      Complexity: int }

/// The SRBench ground-truth protocol on files in the AI Feynman / SRBench format: sample rows uniformly from the
/// variables' ranges, split 75/25, add noise to the training target, search for a fixed time, and judge the chosen
/// model symbolically (difference or ratio constant after rounding) and by test R^2.
[<RequireQualifiedAccess>]
module SrBench =
    /// Splits one CSV line, honouring double quotes.
    let private splitCsv (line: string) =
        let cells = ResizeArray()
        let current = Text.StringBuilder()
        let mutable quoted = false
        for ch in line do
            match ch with
            | '"' -> quoted <- not quoted
            | ',' when not quoted ->
                cells.Add(current.ToString().Trim())
                current.Clear() |> ignore
            | c -> current.Append c |> ignore
        cells.Add(current.ToString().Trim())
        cells.ToArray()

    /// Reads a problem file (header with Filename, Output, Formula and v1_name, v1_low, v1_high, ...). Every non-empty
    /// vK_name counts, whatever "# variables" says. Errors name the file, the row and the column.
    let readProblems (path: string) : Result<BenchmarkProblem list, string> =
        if not (File.Exists path) then Error(sprintf "%s: file not found" path)
        else
            let lines = File.ReadAllLines path |> Array.filter (fun l -> l.Trim() <> "")
            if lines.Length < 2 then Error(sprintf "%s: no problems (expected a header and at least one row)" path)
            else
                let header = splitCsv lines[0]
                let column name = header |> Array.tryFindIndex (fun h -> String.Equals(h, name, StringComparison.OrdinalIgnoreCase))
                match column "Filename", column "Formula" with
                | None, _ -> Error(sprintf "%s: header has no 'Filename' column" path)
                | _, None -> Error(sprintf "%s: header has no 'Formula' column" path)
                | Some idCol, Some formulaCol ->
                    let outputCol = column "Output"
                    let variableCols =
                        [ 1..100 ]
                        |> List.choose (fun k ->
                            match column (sprintf "v%d_name" k), column (sprintf "v%d_low" k), column (sprintf "v%d_high" k) with
                            | Some n, Some lo, Some hi -> Some(k, n, lo, hi)
                            | _ -> None)
                    let parseRow (rowNumber: int) (line: string) =
                        let cells = splitCsv line
                        let cell i = if i < cells.Length then cells[i] else ""
                        let where col = sprintf "%s: row %d, column '%s'" path rowNumber header[col]
                        let number col =
                            match Double.TryParse(cell col, NumberStyles.Float, CultureInfo.InvariantCulture) with
                            | true, v when Double.IsFinite v -> Ok v
                            | _ -> Error(sprintf "%s: expected a number, found '%s'" (where col) (cell col))
                        let ranges =
                            variableCols
                            |> List.filter (fun (_, n, _, _) -> cell n <> "")
                            |> List.map (fun (_, n, lo, hi) ->
                                match number lo, number hi with
                                | Ok l, Ok h when l <= h -> Ok(cell n, l, h)
                                | Ok _, Ok _ -> Error(sprintf "%s: low bound above high bound" (where lo))
                                | Error e, _
                                | _, Error e -> Error e)
                        match ranges |> List.tryPick (function Error e -> Some e | Ok _ -> None) with
                        | Some e -> Error e
                        | None ->
                            let ranges = ranges |> List.choose (function Ok r -> Some r | Error _ -> None)
                            match Parse.expression (cell formulaCol) with
                            | Error pe -> Error(sprintf "%s: %O" (where formulaCol) pe)
                            | Ok truth ->
                                let names = ranges |> List.map (fun (n, _, _) -> n) |> Set.ofList
                                match Expr.variables truth |> List.tryFind (fun v -> not (names.Contains v)) with
                                | Some v -> Error(sprintf "%s: variable '%s' has no range" (where formulaCol) v)
                                | None when ranges.IsEmpty -> Error(sprintf "%s: no variables" (where idCol))
                                | None ->
                                    Ok
                                        { Id = cell idCol
                                          Output = (match outputCol with Some c -> cell c | None -> "y")
                                          Formula = cell formulaCol
                                          Truth = truth
                                          Ranges = ranges }
                    let parsed = lines[1..] |> Array.mapi (fun i l -> parseRow (i + 2) l) |> List.ofArray
                    match parsed |> List.tryPick (function Error e -> Some e | Ok _ -> None) with
                    | Some e -> Error e
                    | None -> Ok(parsed |> List.choose (function Ok p -> Some p | Error _ -> None))

    /// Samples `rows` points uniformly from the problem's ranges (seeded) with the true target.
    let sample (problem: BenchmarkProblem) (rows: int) (seed: int64) : Dataset =
        let rng = Rng.Create seed
        let names = problem.Ranges |> List.map (fun (n, _, _) -> n) |> Array.ofList
        let columns = problem.Ranges |> List.map (fun (_, lo, hi) -> Array.init rows (fun _ -> rng.Uniform(lo, hi))) |> Array.ofList
        let target =
            Array.init rows (fun r -> Evaluate.withValues (Array.map2 (fun n (c: float[]) -> n, c[r]) names columns) problem.Truth)
        { Variables = names; Columns = columns; Target = target; Weights = None }

    /// Coefficient of determination of predictions against targets.
    let r2 (target: float[]) (prediction: float[]) =
        let mean = Array.average target
        let ssRes = Array.fold2 (fun acc y p -> acc + (y - p) * (y - p)) 0.0 target prediction
        let ssTot = target |> Array.sumBy (fun y -> (y - mean) * (y - mean))
        if Double.IsNaN ssRes then -infinity elif ssTot = 0.0 then (if ssRes = 0.0 then 1.0 else -infinity) else 1.0 - ssRes / ssTot

    /// Runs one problem: sample, split, add noise, search, judge.
    let runProblem (options: SearchOptions) (judge: Expr -> Expr -> bool) (rows: int) (noise: float) (seed: int64)
                   (cancel: CancellationToken) (problem: BenchmarkProblem) : BenchmarkOutcome =
        let data = sample problem rows seed
        let trainRows = Array.init (rows * 3 / 4) id
        let testRows = Array.init (rows - trainRows.Length) (fun i -> trainRows.Length + i)
        let train = Dataset.subset trainRows data
        let test = Dataset.subset testRows data
        let train =
            if noise <= 0.0 then train
            else
                let rng = Rng.Create(seed + 7919L)
                let rms = sqrt (train.Target |> Array.averageBy (fun y -> y * y))
                { train with Target = train.Target |> Array.map (fun y -> y + noise * rms * rng.NextGaussian()) }
        // Noise-free data: stop once the best model fits to a relative RMS error of 1e-8; searching on after an exact fit
        // only spends time (and a time-bound run on a loaded machine would spend it unevenly).
        let stopping =
            if noise > 0.0 then options.Stopping
            else
                let meanSquare = train.Target |> Array.averageBy (fun y -> y * y)
                { options.Stopping with TargetLoss = Some(1e-16 * meanSquare) }
        let clock = Diagnostics.Stopwatch.StartNew()
        let result = Search.run { options with Seed = seed; Stopping = stopping } train [] ignore cancel
        let seconds = clock.Elapsed.TotalSeconds
        match result with
        | Ok r ->
            match r.Chosen with
            | Some c ->
                let prediction =
                    Array.init test.Rows (fun i ->
                        Evaluate.withValues (Array.map2 (fun n (col: float[]) -> n, col[i]) test.Variables test.Columns) c.Expression)
                { Problem = problem
                  Found = Some c.Expression
                  SymbolicSolution = judge problem.Truth c.Expression
                  R2Test = r2 test.Target prediction
                  Seconds = seconds
                  Complexity = c.Complexity }
            | None -> { Problem = problem; Found = None; SymbolicSolution = false; R2Test = -infinity; Seconds = seconds; Complexity = 0 }
        | Error _ -> { Problem = problem; Found = None; SymbolicSolution = false; R2Test = -infinity; Seconds = seconds; Complexity = 0 }
