module Symbolic.Tests.FusionTests

open System
open Xunit
open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Symbolic
open Symbolic.Tests.EvaluatorTests

// The second tier of the evaluator: whole programs fused into one generated SIMD loop (see Evaluator.fsi).

[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 200)>]
let ``the fused evaluator matches the naive tree walk on random expressions`` (expr: Expr) (seed: int) =
    not (degenerate expr) ==> lazy (matchesNaiveWith (Evaluator.fuse >> ignore) expr seed)

/// Values and status of a program through the interpreter only, and through the fused loop.
let bothTiers (expr: Expr) (data: float[][]) =
    let rows = data[0].Length
    let interpreted = compile expr
    let fused = compile expr
    Assert.True(Evaluator.fuse fused, sprintf "%A should fuse" expr)
    let run program (workspace: Workspace) =
        let output = Array.zeroCreate rows
        let status = Evaluator.evaluateInto workspace program [||] data output
        output, status
    run interpreted (Workspace(64, false)), run fused (Workspace(64))

[<Fact>]
let ``fused arithmetic equals the interpreter bit for bit, including the rows of a ragged tail`` () =
    // 1003 rows: not a multiple of any vector width, so the last vector overlaps the one before.
    let data = randomData 11 1003 |> Array.map (Array.map abs)
    let expr = (x * y + Expr.approx 2.5 * z) / (1 + Expr.powerInt x 3) - Expr.apply "max" [ x; z ] * Expr.apply "abs" [ y - 1 ]
    let (a, sa), (b, sb) = bothTiers expr data
    Assert.True(sa.Ok && sb.Ok)
    Assert.Equal<float[]>(a, b)

[<Fact>]
let ``a fused program meeting a non-finite value reports the interpreter's batch, row and instruction`` () =
    let data = randomData 12 1300 |> Array.map (Array.map abs)
    data[0][1100] <- -1.0
    let (_, interpretedStatus), (_, fusedStatus) = bothTiers (Expr.apply "log" [ x ] * y + z) data
    Assert.False fusedStatus.Ok
    Assert.Equal(interpretedStatus, fusedStatus)
    Assert.Equal(1100, fusedStatus.Row)

[<Fact>]
let ``a program becomes fused once it has done enough work, and not before`` () =
    let data = randomData 13 1000
    let program = compile (Expr.apply "exp" [ -(Expr.powerInt x 2) ] * y)
    let workspace = Workspace()
    let output = Array.zeroCreate 1000
    Evaluator.evaluateInto workspace program [||] data output |> ignore
    Assert.False(Evaluator.isFused program)
    // Past the threshold of about eight million node-rows: 6 nodes x 1000 rows x 1500 calls.
    for _ in 1 .. 1500 do
        Evaluator.evaluateInto workspace program [||] data output |> ignore
    Assert.True(Evaluator.isFused program)
    let expected = Array.init 1000 (fun r -> Math.Exp(-(data[0][r] * data[0][r])) * data[1][r])
    for r in 0 .. 999 do
        Assert.Equal(expected[r], output[r], 12)

[<Fact>]
let ``a workspace that does not fuse keeps a hot program interpreted`` () =
    let data = randomData 14 1000
    let program = compile (x * y + z)
    let workspace = Workspace(512, false)
    let output = Array.zeroCreate 1000
    for _ in 1 .. 2000 do
        Evaluator.evaluateInto workspace program [||] data output |> ignore
    Assert.False(Evaluator.isFused program)
    Assert.False workspace.Fuses

[<Fact>]
let ``programs with operators that have no inlinable vector form stay interpreted`` () =
    Assert.False(Evaluator.fuse (compile (Expr.apply "atan" [ x ] + y)))
    Assert.False(Evaluator.fuse (compile (Expr.power x y)))
    // A lone variable is a copy, nothing to fuse.
    Assert.False(Evaluator.fuse (compile x))

[<Fact>]
let ``fused programs take new parameter values and fewer rows than a vector`` () =
    let a = Expr.parameter "a" 2.0
    let program =
        match Compile.toProgram variables (Expr.apply "sin" [ a * x ] + Expr.apply "tanh" [ y ]) with
        | Ok p -> p
        | Error e -> failwith e
    Assert.True(Evaluator.fuse program)
    let data = randomData 15 203
    for value in [ 0.5; -3.0 ] do
        let result = Evaluator.evaluateWith program [| value |] data
        Assert.True result.Ok
        for r in 0 .. 202 do
            Assert.Equal(Math.Sin(value * data[0][r]) + Math.Tanh(data[1][r]), result.Values[r], 12)
    let three = data |> Array.map (fun c -> c[0..2])
    let small = Evaluator.evaluateWith program [| 1.5 |] three
    for r in 0 .. 2 do
        Assert.Equal(Math.Sin(1.5 * three[0][r]) + Math.Tanh(three[1][r]), small.Values[r], 12)
