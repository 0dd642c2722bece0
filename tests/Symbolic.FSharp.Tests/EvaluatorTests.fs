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

/// True where a few-ulp perturbation of the intermediate values changes whether the value is finite, or moves it by
/// more than a millionth: the outcome there is decided by rounding.
let chaotic (expr: Expr) (values: IReadOnlyDictionary<string, float>) =
    let random = Random(23)
    let noisy = Array.init 16 (fun _ -> noisyAt random values expr)
    let finite = noisy |> Array.filter Double.IsFinite
    (finite.Length > 0 && finite.Length < noisy.Length)
    || (finite.Length > 0 && (Array.max finite - Array.min finite) > 1e-6 * (abs (Array.max finite) + abs (Array.min finite)))

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

/// True when a constant part of the expression is infinite or NaN (the generator can build 0^-2): there `sqrt(-inf)`
/// (NaN, what the evaluator computes for x^(1/2)) and the naive `Math.Pow(-inf, 0.5)` (+inf) legitimately differ.
let degenerate (expr: Expr) =
    let rec isFixed e =
        match e with
        | Variable _ | Parameter _ | Placeholder _ -> false
        | _ -> Expr.children e |> List.forall isFixed
    Expr.subexpressions expr
    |> Seq.exists (fun e -> isFixed e && not (Double.IsFinite(Evaluate.at (Dictionary<string, float>()) e)))

/// Evaluates with small batches and compares every computed row, and the reported status, with the naive walk;
/// `prepare` may change how the program runs first (fuse it).
let matchesNaiveWith (prepare: Program -> unit) (expr: Expr) (seed: int) =
    let rows = 150
    let data = randomData seed rows
    let program = compile expr
    prepare program
    let output = Array.zeroCreate rows
    let workspace = Workspace(32)
    let status = Evaluator.evaluateInto workspace program program.ParameterValues data output
    let naive = Array.init rows (naiveAt expr data)
    // Every batch up to the one that stopped is computed in full.
    let computed = if status.Ok then rows else min rows ((status.Batch + 1) * workspace.BatchSize)
    let mismatches =
        [ for r in 0 .. computed - 1 do
            let values = valuesAt data r
            if not (agrees expr values naive[r] output[r]) && not (chaotic expr values) then r, naive[r], output[r] ]
    // Rows where rounding alone decides whether the value is finite (tan of 1e50) may stop either evaluation.
    let firstBad = [ 0 .. rows - 1 ] |> List.tryFind (fun r -> not (Double.IsFinite naive[r]) && not (chaotic expr (valuesAt data r)))
    let statusRight =
        if status.Ok then firstBad.IsNone
        else
            status.Batch = status.Row / workspace.BatchSize
            && (Some status.Row = firstBad
                || (chaotic expr (valuesAt data status.Row) && (firstBad.IsNone || status.Row < firstBad.Value)))
    (mismatches.IsEmpty && statusRight)
    |> Prop.label (sprintf "%A\n%s\nstatus %A, first naive non-finite %A, mismatches %A" expr (Program.format program) status firstBad (List.truncate 5 mismatches))

let matchesNaive = matchesNaiveWith ignore

[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 300)>]
let ``the evaluator matches the naive tree walk on random expressions`` (expr: Expr) (seed: int) =
    not (degenerate expr) ==> lazy (matchesNaive expr seed)

let evaluateAt (expr: Expr) (columns: float[][]) = Evaluator.evaluate (compile expr) columns

[<Fact>]
let ``early exit reports the batch, row and instruction of the first non-finite value`` () =
    let rows = 1300
    let data = randomData 3 rows |> Array.map (Array.map abs)
    data[0][1100] <- -1.0 // log of a negative number at row 1100, in the third batch of 512
    let expr = Expr.apply "log" [ x ] + y
    let program = compile expr
    let status = Evaluator.evaluateInto (Workspace(512)) program [||] data (Array.zeroCreate rows)
    Assert.False status.Ok
    Assert.Equal(2, status.Batch)
    Assert.Equal(1100, status.Row)
    Assert.Equal(Call(Operators.indexOf "log"), program.Instructions[status.Instruction])

[<Fact>]
let ``a NaN in the data is blamed on the instruction that loads it`` () =
    let data = randomData 4 100
    data[1][42] <- nan
    let program = compile (x * y + z)
    let result = Evaluator.evaluate program data
    Assert.False result.Ok
    Assert.Equal(42, result.Status.Row)
    Assert.Equal(LoadVariable 1, program.Instructions[result.Status.Instruction])

[<Fact>]
let ``a finite evaluation says so`` () =
    let result = evaluateAt (Expr.apply "exp" [ x ] * y) (randomData 5 1000)
    Assert.True result.Ok
    Assert.Equal(EvalStatus.Finite, result.Status)

[<Fact>]
let ``other parameter values change the result without recompiling`` () =
    let a = Expr.parameter "a" 2.0
    let b = Expr.parameter "b" 0.5
    let program = compile (a * Expr.apply "sin" [ b * x ] + a * b)
    Assert.Equal<string[]>([| "a"; "b" |], program.Parameters)
    let data = randomData 6 700
    let result = Evaluator.evaluateWith program [| 3.0; -1.5 |] data
    for r in 0 .. 699 do
        Assert.Equal(3.0 * sin (-1.5 * data[0][r]) + 3.0 * -1.5, result.Values[r], 12)

[<Fact>]
let ``a program built from instructions evaluates like the expression it spells`` () =
    // (x + 2) * p0 - y / 3, as a symbolic-regression engine would emit it.
    let instructions =
        [| LoadVariable 0; LoadConstant 2.0; Call(Operators.indexOf "add"); LoadParameter 0; Call(Operators.indexOf "mul")
           LoadVariable 1; LoadConstant 3.0; Call(Operators.indexOf "div"); Call(Operators.indexOf "sub") |]
    let program =
        match Program.create [| "x"; "y" |] [| "p0" |] [| 1.5 |] instructions with
        | Ok p -> p
        | Error e -> failwith e
    Assert.Equal(3, program.StackDepth)
    let data = randomData 7 300 |> Array.take 2
    let result = Evaluator.evaluate program data
    for r in 0 .. 299 do
        Assert.Equal((data[0][r] + 2.0) * 1.5 - data[1][r] / 3.0, result.Values[r], 12)

[<Fact>]
let ``invalid instruction sequences are refused with the reason`` () =
    let refuse instructions =
        match Program.create [| "x" |] [||] [||] instructions with
        | Ok _ -> failwith "accepted"
        | Error e -> e
    Assert.Contains("needs 2 values", refuse [| LoadVariable 0; Call(Operators.indexOf "add") |])
    Assert.Contains("leaves 2 values", refuse [| LoadVariable 0; LoadConstant 1.0 |])
    Assert.Contains("variable 3", refuse [| LoadVariable 3 |])
    Assert.Contains("parameter 0", refuse [| LoadParameter 0 |])
    Assert.Contains("operator 99999", refuse [| LoadVariable 0; Call 99999 |])

[<Fact>]
let ``constant and single-column programs fill the output`` () =
    let data = randomData 8 20
    Assert.Equal<float[]>(Array.create 20 (Math.PI + 1.0), (evaluateAt (Expr.pi + 1) data).Values)
    Assert.Equal<float[]>(data[2], (evaluateAt z data).Values)

[<Fact>]
let ``tanh and sinh keep their relative accuracy near zero`` () =
    let xs = Array.init 600 (fun i -> (if i % 2 = 0 then 1.0 else -1.0) * 10.0 ** (float (i % 270) / 10.0 - 25.0))
    let data = [| xs; xs; xs |]
    for name, f in [ "tanh", Math.Tanh; "sinh", Math.Sinh ] do
        let values = (evaluateAt (Expr.apply name [ x ]) data).Values
        for i in 0 .. xs.Length - 1 do
            let expected = f xs[i]
            Assert.True(values[i] = expected || abs (values[i] - expected) <= 4e-16 * abs expected, sprintf "%s(%g) = %g, not %g" name xs[i] values[i] expected)

[<Fact>]
let ``one workspace serves programs of different shapes one after another`` () =
    let workspace = Workspace(64)
    let data = randomData 9 200
    for expr in [ x * y + z; Expr.apply "exp" [ x ] / (y + z * x) + Expr.powerInt x 5; Expr.apply "max" [ x; y ] ] do
        let output = Array.zeroCreate 150
        let status = Evaluator.evaluateInto workspace (compile expr) [||] data output
        Assert.True status.Ok
        for r in 0 .. 149 do
            Assert.True(close (naiveAt expr data r) output[r])

/// Approximate numbers of an expression turned into parameters p0, p1, ... (in leaf order).
let parameterise (expr: Expr) =
    let mutable k = 0
    expr
    |> Expr.mapLeaves (function
        | Approx v ->
            k <- k + 1
            Expr.parameter (sprintf "p%d" (k - 1)) v
        | leaf -> leaf)

[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 150)>]
let ``the parameter gradient matches central differences`` (body: Expr) (seed: int) =
    let a = Expr.parameter "scale" 1.3
    let b = Expr.parameter "shift" -0.4
    let expr = a * parameterise body + b
    let program = compile expr
    let data = randomData seed 40
    let values = program.ParameterValues
    let gradient = Evaluator.gradient program values data
    let at (ps: float[]) = (Evaluator.evaluateWith program ps data).Values
    let finiteDifference k h =
        let up = Array.copy values
        let down = Array.copy values
        up[k] <- up[k] + h
        down[k] <- down[k] - h
        Array.map2 (fun u d -> (u - d) / (2.0 * h)) (at up) (at down)
    let problems =
        [ for k in 0 .. values.Length - 1 do
            let h = 1e-5 * max 1.0 (abs values[k])
            let coarse = finiteDifference k h
            let fine = finiteDifference k (h / 2.0)
            for r in 0 .. 39 do
                let g = gradient.Jacobian[k][r]
                // Rounding in f(p +- h) alone moves the difference quotient by about eps |f| / h.
                let rounding = 1e-14 * abs gradient.Values[r] / h
                let tolerance = 1e-5 * max 1.0 (abs fine[r]) + rounding
                let smooth = Double.IsFinite fine[r] && abs (coarse[r] - fine[r]) <= tolerance / 10.0
                if smooth && Double.IsFinite gradient.Values[r] && not (abs (g - fine[r]) <= tolerance) then
                    program.Parameters[k], r, g, fine[r] ]
    let valuesAgree =
        [ for r in 0 .. 39 ->
            agrees expr (valuesAt data r) (naiveAt expr data r) gradient.Values[r] || not (Double.IsFinite gradient.Values[r]) ]
        |> List.forall id
    (problems.IsEmpty && valuesAgree)
    |> Prop.label (sprintf "%A\n%s\nproblems %A" expr (Program.format program) (List.truncate 5 problems))

[<Fact>]
let ``the gradient of a model with known derivatives is exact`` () =
    let a = Expr.parameter "a" 1.5
    let b = Expr.parameter "b" -0.7
    let c = Expr.parameter "c" 2.0
    let expr = a * Expr.apply "exp" [ b * x ] + Expr.powerInt c 2 * Expr.apply "sin" [ y ]
    let program = compile expr
    let data = randomData 10 1100
    let result = Evaluator.gradient program [| 1.5; -0.7; 2.0 |] data
    Assert.True result.Status.Ok
    let equal (expected: float) (actual: float) = Assert.True(close expected actual, sprintf "%.17g <> %.17g" expected actual)
    for r in 0 .. 1099 do
        let xv, yv = data[0][r], data[1][r]
        equal (1.5 * exp (-0.7 * xv) + 4.0 * sin yv) (result.Values[r])
        equal (exp (-0.7 * xv)) (result.Jacobian[0][r])
        equal (1.5 * xv * exp (-0.7 * xv)) (result.Jacobian[1][r])
        equal (2.0 * 2.0 * sin yv) (result.Jacobian[2][r])
