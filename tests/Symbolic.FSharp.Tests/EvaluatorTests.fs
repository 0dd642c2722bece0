module Symbolic.Tests.EvaluatorTests

open System
open System.Collections.Generic
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Symbolic

let x = Expr.variable "x"
let y = Expr.variable "y"
let z = Expr.variable "z"
let variables = Generators.variables

/// Columns of random values for x, y, z; mostly inside every operator's domain, some negative.
let randomData (seed: int) (rows: int) =
    let random = Random(seed)
    Array.init variables.Length (fun _ -> Array.init rows (fun _ -> if random.NextDouble() < 0.85 then 0.05 + 2.5 * random.NextDouble() else -2.0 * random.NextDouble()))

let valuesAt (data: float[][]) (row: int) : IReadOnlyDictionary<string, float> =
    let values = Dictionary<string, float>()
    variables |> List.iteri (fun i v -> values[v] <- data[i][row])
    values

let naiveAt (expr: Expr) (data: float[][]) (row: int) = Evaluate.at (valuesAt data row) expr

let compile (expr: Expr) =
    match Compile.toProgram variables expr with
    | Ok p -> p
    | Error e -> failwithf "could not compile %A: %s" expr e

/// The naive walk with every intermediate value perturbed by a few ulps at random: how far rounding alone moves the
/// value at this point (large where terms cancel or an operator is ill-conditioned).
let rec noisyAt (random: Random) (values: IReadOnlyDictionary<string, float>) (expr: Expr) : float =
    let eval = noisyAt random values
    let exact =
        match expr with
        | Sum xs -> xs |> List.sumBy eval
        | Product xs -> xs |> List.fold (fun acc x -> acc * eval x) 1.0
        | Power(b, Integer n) -> pown (eval b) n
        | Power(b, e) -> Math.Pow(eval b, eval e)
        | Apply(name, args) ->
            match (Operators.find name).Scalar, args with
            | ScalarFunction.Unary f, [ a ] -> f (eval a)
            | ScalarFunction.Binary f, [ a; b ] -> f (eval a) (eval b)
            | _ -> nan
        | leaf -> Evaluate.at values leaf
    exact * (1.0 + 4e-16 * (2.0 * random.NextDouble() - 1.0))

/// Equal within a relative 1e-12, or both not finite (sqrt(-inf) is NaN where pow(-inf, 1/2) is inf).
let close (expected: float) (actual: float) =
    if not (Double.IsFinite expected) || not (Double.IsFinite actual) then
        Double.IsFinite expected = Double.IsFinite actual
    else abs (expected - actual) <= 1e-12 * max (abs expected) (abs actual) || abs (expected - actual) < 1e-300

/// `close`, or (at an ill-conditioned point) no farther from the naive value than a few-ulp perturbation of every
/// intermediate value can move it.
let agrees (expr: Expr) (values: IReadOnlyDictionary<string, float>) (expected: float) (actual: float) =
    close expected actual
    || (let random = Random(17)
        let noisy = Array.init 16 (fun _ -> noisyAt random values expr)
        if Double.IsFinite actual then
            let spread = noisy |> Array.map (fun v -> abs (v - expected)) |> Array.max
            Double.IsFinite expected && abs (actual - expected) <= 1e-12 * abs expected + 16.0 * spread
        else noisy |> Array.exists (fun v -> close v actual))

[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 300)>]
let ``the evaluator matches the naive tree walk on random expressions`` (expr: Expr) (seed: int) =
    let rows = 150
    let data = randomData seed rows
    let program = compile expr
    let output = Array.zeroCreate rows
    let workspace = Workspace(32)
    let status = Evaluator.evaluateInto workspace program program.ParameterValues data output
    let naive = Array.init rows (naiveAt expr data)
    // Every batch up to the one that stopped is computed in full.
    let computed = if status.Ok then rows else min rows ((status.Batch + 1) * workspace.BatchSize)
    let mismatches = [ for r in 0 .. computed - 1 do if not (agrees expr (valuesAt data r) naive[r] output[r]) then r, naive[r], output[r] ]
    let firstBad = naive |> Array.tryFindIndex (Double.IsFinite >> not)
    let statusRight =
        match firstBad with
        | None -> status.Ok
        | Some r -> not status.Ok && status.Row = r && status.Batch = r / workspace.BatchSize
    (mismatches.IsEmpty && statusRight)
    |> Prop.label (sprintf "%A\n%s\nstatus %A, first naive non-finite %A, mismatches %A" expr (Program.format program) status firstBad (List.truncate 5 mismatches))
