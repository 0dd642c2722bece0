module Symbolic.Tests.CompileTests

open System
open Xunit
open FsCheck.Xunit
open Symbolic
open Symbolic.Tests.EvaluatorTests

let private error (result: Result<'a, string>) =
    match result with
    | Ok _ -> failwith "expected an error"
    | Error e -> e

[<Fact>]
let ``compiling names the unknown variable`` () =
    let e = error (Compile.toProgram [ "x"; "y" ] (x + Expr.variable "w"))
    Assert.Contains("unknown variable 'w'", e)
    Assert.Contains("x, y", e)
    Assert.Contains("'w'", error (Compile.toDelegate [ "x" ] (Expr.variable "w")))

[<Fact>]
let ``compiling names the placeholder that cannot be evaluated`` () =
    let e = error (Compile.toProgram [ "x" ] (x + Expr.placeholder "h1" [ x ]))
    Assert.Contains("'h1'", e)
    Assert.Contains("placeholder", e)
    Assert.Contains("'h1'", error (Compile.toOdeFunction [| "x" |] "" [||] [| Expr.placeholder "h1" [ x ] |]))

[<Fact>]
let ``compiling refuses unknown operators, wrong arities and repeated variables`` () =
    Assert.Contains("unknown operator 'frob'", error (Compile.toProgram [ "x" ] (Expr.apply "frob" [ x ])))
    Assert.Contains("takes 1 argument", error (Compile.toProgram [ "x" ] (Expr.apply "sin" [ x; x ])))
    Assert.Contains("listed twice", error (Compile.toProgram [ "x"; "x" ] x))

[<Fact>]
let ``sums subtract, negative powers divide and constants fold`` () =
    let program =
        match Compile.toProgram [ "x"; "y" ] (x - Expr.apply "sin" [ y ] / Expr.powerInt x 2 + Expr.sqrt (Expr.number 4 + Expr.pi)) with
        | Ok p -> p
        | Error e -> failwith e
    let text = Program.format program
    Assert.Contains("call sub", text)
    Assert.Contains("call div", text)
    Assert.Contains("call square", text)
    Assert.DoesNotContain("call sqrt", text) // sqrt(4 + pi) is folded
    Assert.Contains(sprintf "const %s" ((sqrt (4.0 + Math.PI)).ToString("R")), text)

[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 200)>]
let ``a compiled delegate matches the naive tree walk`` (expr: Expr) (seed: int) =
    match Compile.toDelegate variables expr with
    | Error e -> failwith e
    | Ok f ->
        let data = randomData seed 20
        [ 0 .. 19 ]
        |> List.forall (fun r ->
            let values = valuesAt data r
            agrees expr values (naiveAt expr data r) (f.Invoke [| data[0][r]; data[1][r]; data[2][r] |]))

[<Fact>]
let ``an ODE right-hand side reads states, time and named parameters`` () =
    let sigma = Expr.parameter "sigma" 10.0
    let rho = Expr.parameter "rho" 28.0
    let beta = Expr.parameter "beta" (8.0 / 3.0)
    let t = Expr.variable "t"
    let rhs =
        [| sigma * (y - x)
           x * (rho - z) - y
           x * y - beta * z + Expr.apply "sin" [ t ] * Expr.parameter "forcing" 0.5 |]
    let f =
        match Compile.toOdeFunction [| "x"; "y"; "z" |] "t" [| "sigma"; "rho"; "beta" |] rhs with
        | Ok f -> f
        | Error e -> failwith e
    let derivative = Array.zeroCreate 3
    f.Invoke(2.0, [| 1.0; 2.0; 3.0 |], [| 10.0; 28.0; 8.0 / 3.0 |], derivative)
    Assert.Equal(10.0 * (2.0 - 1.0), derivative[0], 12)
    Assert.Equal(1.0 * (28.0 - 3.0) - 2.0, derivative[1], 12)
    Assert.Equal(1.0 * 2.0 - 8.0 / 3.0 * 3.0 + sin 2.0 * 0.5, derivative[2], 12)
    let bound = Compile.bindParameters [| 1.0; 2.0; 3.0 |] f
    bound.Invoke(0.0, [| 1.0; 1.0; 1.0 |], derivative)
    Assert.Equal<float[]>([| 0.0; 0.0; 1.0 - 3.0 |], derivative)

[<Fact>]
let ``an ODE system needs one right-hand side per state and known names`` () =
    Assert.Contains("2 states but 1", error (Compile.toOdeFunction [| "x"; "y" |] "" [||] [| x |]))
    Assert.Contains("unknown variable 't'", error (Compile.toOdeFunction [| "x" |] "" [||] [| Expr.variable "t" |]))
