module Symbolic.Tests.OperatorTableTests

open System
open Xunit
open Symbolic

/// softplus(x) = log(1 + exp(x)), registered by a user after programs of built-in operators already exist.
let private softplus =
    lazy
        (let op =
            { Operators.unary "softplus" (fun x -> log (1.0 + exp x)) (fun a ->
                  Expr.invert (Expr.add Expr.one (Expr.apply "exp" [ Expr.negate a ]))) with
                Latex = fun args -> sprintf @"\operatorname{softplus}\left(%s\right)" (String.Join(", ", args)) }
         Operators.register op |> ignore
         op)

[<Fact>]
let ``a registered operator parses, prints, differentiates and evaluates like a built-in one`` () =
    // Build a program first, so the evaluator's tables exist before the new operator does.
    Evaluator.evaluate (Result.defaultWith failwith (Compile.toProgram [ "x" ] (Expr.apply "sin" [ Expr.variable "x" ]))) [| [| 1.0 |] |]
    |> ignore
    softplus.Force() |> ignore
    let e = match Parse.expression "2*softplus(x) - x" with Ok e -> e | Error err -> failwithf "%O" err
    Assert.Equal("2*softplus(x) - x", Print.infix e)
    Assert.Contains(@"\operatorname{softplus}", Print.latex e)
    let xs = [| -3.0; -0.5; 0.0; 1.25; 4.0 |]
    let program = Result.defaultWith failwith (Compile.toProgram [ "x" ] e)
    let values = (Evaluator.evaluate program [| xs |]).Values
    for i in 0 .. xs.Length - 1 do
        Assert.Equal(2.0 * log (1.0 + exp xs[i]) - xs[i], values[i], 12)
    // d/dx (2*softplus(x) - x) = 2/(1 + exp(-x)) - 1 = tanh(x/2)
    let derivative = Calculus.derivative "x" e
    for x in xs do
        Assert.Equal(tanh (x / 2.0), Evaluate.withValues [ "x", x ] derivative, 12)

[<Fact>]
let ``registering a taken name is refused`` () =
    Assert.Throws<ArgumentException>(fun () -> Operators.register (Operators.unary "sin" sin id) |> ignore) |> ignore
