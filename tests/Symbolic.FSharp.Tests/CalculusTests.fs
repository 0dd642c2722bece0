module Symbolic.Tests.CalculusTests

open System
open Xunit
open FsCheck.Xunit
open Symbolic
open Symbolic.Tests.SimplifyTests

let derivativeIs (expected: string) (variable: string) (input: string) =
    let actual = Calculus.derivative variable (parse input)
    let wanted = Simplify.simplify (parse expected)
    if actual <> wanted then failwithf "d/d%s %s gave %A, expected %s = %A" variable input actual expected wanted

[<Theory>]
[<InlineData("x^3", "x", "3*x^2")>]
[<InlineData("x^3*y", "y", "x^3")>]
[<InlineData("sin(x)", "x", "cos(x)")>]
[<InlineData("cos(2*x)", "x", "-2*sin(2*x)")>]
[<InlineData("exp(x^2)", "x", "2*x*exp(x^2)")>]
[<InlineData("log(x)", "x", "1/x")>]
[<InlineData("sqrt(x)", "x", "1/(2*sqrt(x))")>]
[<InlineData("x^x", "x", "x^x*(1 + log(x))")>]
[<InlineData("2^x", "x", "2^x*log(2)")>]
[<InlineData("tan(x)", "x", "1/cos(x)^2")>]
[<InlineData("atan(x)", "x", "1/(1 + x^2)")>]
[<InlineData("tanh(x)", "x", "1 - tanh(x)^2")>]
[<InlineData("abs(x)", "x", "sign(x)")>]
[<InlineData("x*y + y^2", "z", "0")>]
[<InlineData("sin(x)^2 + cos(x)^2", "x", "0")>]
[<InlineData("x/y", "y", "-x/y^2")>]
let ``derivatives follow the table of partials and the chain rule, simplified`` (input: string, variable: string, expected: string) =
    derivativeIs expected variable input

[<Fact>]
let ``derivatives are taken with respect to parameters as well as variables`` () =
    let e =
        match Parse.expressionWith (Parse.withParameters [ "a"; "b" ]) "a*exp(b*x)" with
        | Ok e -> e
        | Error e -> failwithf "%O" e
    let b = Expr.parameter "b" 1.0
    let a = Expr.parameter "a" 1.0
    let x = Expr.variable "x"
    Assert.Equal(Simplify.simplify (a * x * Apply("exp", [ b * x ])), Calculus.derivative "b" e)
    Assert.Equal(Simplify.simplify (Apply("exp", [ b * x ])), Calculus.derivative "a" e)

[<Fact>]
let ``placeholders differentiate into named partial-derivative placeholders`` () =
    let x = Expr.variable "x"
    let y = Expr.variable "y"
    let h = Expr.placeholder "h" [ x * y; x ]
    let d = Calculus.derivative "x" h
    let expected = y * Expr.placeholder "D1_h" [ x * y; x ] + Expr.placeholder "D2_h" [ x * y; x ]
    Assert.Equal(expected, d)
    // Mixed partials commute: both orders give D1_2_g.
    let g = Expr.placeholder "g" [ x; y ]
    let xy = Calculus.derivative "y" (Calculus.derivative "x" g)
    let yx = Calculus.derivative "x" (Calculus.derivative "y" g)
    Assert.Equal(Expr.placeholder "D1_2_g" [ x; y ], xy)
    Assert.Equal(xy, yx)
    // The names are identifiers, so printed derivatives parse back.
    Assert.Equal(d, parse (Print.infix d))
    Assert.Equal(Some([ 1; 2 ], "g"), Calculus.tryParsePartialName "D1_2_g")
    Assert.Equal(Some([ 1 ], "_h"), Calculus.tryParsePartialName "D1__h")
    Assert.Equal(None, Calculus.tryParsePartialName "Dx_h")
    Assert.Equal(None, Calculus.tryParsePartialName "h")

[<Fact>]
let ``higher derivatives and gradients`` () =
    Assert.Equal(parse "-sin(x)", Calculus.nthDerivative "x" 2 (parse "sin(x)"))
    Assert.Equal(parse "24", Calculus.nthDerivative "x" 4 (parse "x^4 + y"))
    Assert.Equal<(string * Expr) list>([ "x", parse "2*x*y"; "y", parse "x^2" ], Calculus.gradient (parse "x^2*y"))

/// A central difference of `e` in `variable` at `point` from steps h, h/2 and h/4, refined by Richardson
/// extrapolation, with the size of its own uncertainty; None where the steps disagree beyond the behaviour of a smooth
/// function, or with a much smaller step (a kink, a jump, a singularity or fast oscillation nearby), or rounding noise
/// would dominate.
let centralDifference (e: Expr) (variable: string) (point: (string * float) list) =
    let at (shift: float) =
        point |> List.map (fun (n, v) -> n, (if n = variable then v + shift else v))
    let x0 = point |> List.find (fun (n, _) -> n = variable) |> snd
    let value, error = Equivalence.valueWithError (dict point |> Collections.Generic.Dictionary) e
    let h = 1e-3 * max 1.0 (abs x0)
    let difference (step: float) =
        (Evaluate.withValues (at step) e - Evaluate.withValues (at -step) e) / (2.0 * step)
    let d1, d2, d3 = difference h, difference (h / 2.0), difference (h / 4.0)
    let tiny = h * 1e-3
    let dTiny = difference tiny
    let noise = 2.2e-16 * error / tiny
    let scale = max 1.0 (abs d3)
    let extrapolated = (4.0 * d3 - d2) / 3.0
    let uncertainty = abs (d2 - d3)
    if not (List.forall Double.IsFinite [ value; error; d1; d2; d3; dTiny ]) then None
    elif abs (d1 - d2) > 1e-3 * scale || abs (d2 - d3) > 0.5 * abs (d1 - d2) + 1e-9 * scale || noise > 1e-6 * scale then
        None
    elif abs (dTiny - extrapolated) > 1e-4 * scale + uncertainty then None
    else Some(extrapolated, uncertainty)

/// A derivative that is NaN because the chain rule multiplies 0 by an infinite intermediate: a piecewise operator on
/// its flat side ((1 - sign(u))/2 = 0 times cbrt'(0) in cbrt(min(x, 0))) or an underflowed exp(u) times an overflowed
/// factor. The limit exists but the symbolic form cannot evaluate it; a known limit, not a wrong derivative.
let private zeroTimesInfinity (point: (string * float) list) (d: Expr) (value: float) =
    Double.IsNaN value
    && Expr.subexpressions d |> Seq.exists (fun s -> Double.IsInfinity(Evaluate.withValues point s))

[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 1000)>]
let ``derivatives match central differences at random points`` (e: Expr) =
    let variable = "x"
    let d = Calculus.derivative variable e
    samplePoints 6
    |> List.forall (fun point ->
        match centralDifference e variable point with
        | None -> true
        | Some(numeric, uncertainty) ->
            let symbolic = Evaluate.withValues point d
            let ok =
                zeroTimesInfinity point d symbolic
                || abs (symbolic - numeric) <= 1e-5 * max 1.0 (max (abs symbolic) (abs numeric)) + uncertainty
            if not ok then failwithf "at %A: derivative %A is %g, central difference %g" point d symbolic numeric
            ok)

[<Fact>]
let ``the central-difference check is not vacuous on smooth expressions`` () =
    let e = parse "sin(x)*exp(y) + x^3/(1 + z^2)"
    let checkedPoints = samplePoints 12 |> List.choose (centralDifference e "x")
    Assert.Equal(12, checkedPoints.Length)
    // and it catches a wrong derivative
    let wrong = parse "cos(x)*exp(y) + 2*x^2/(1 + z^2)"
    Assert.True(
        samplePoints 12
        |> List.exists (fun point ->
            match centralDifference e "x" point with
            | Some(numeric, uncertainty) -> abs (Evaluate.withValues point wrong - numeric) > 1e-5 + uncertainty
            | None -> false))
