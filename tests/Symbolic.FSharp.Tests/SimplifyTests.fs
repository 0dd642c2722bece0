module Symbolic.Tests.SimplifyTests

open System
open Xunit
open FsCheck.Xunit
open Symbolic

let parse (text: string) =
    match Parse.expression text with
    | Ok e -> e
    | Error e -> failwithf "'%s' did not parse: %O" text e

/// Asserts that simplifying `input` gives exactly the canonical form of `expected`.
let simplifiesTo (expected: string) (input: string) =
    let actual = Simplify.simplify (parse input)
    if actual <> parse expected then failwithf "simplify '%s' gave %A, expected '%s' = %A" input actual expected (parse expected)

[<Theory>]
[<InlineData("x - x", "0")>]
[<InlineData("x / x", "1")>]
[<InlineData("x * x", "x^2")>]
[<InlineData("2*(x + y)", "2*x + 2*y")>]
[<InlineData("-(x - y)", "y - x")>]
[<InlineData("square(x + 1)", "(x + 1)^2")>]
[<InlineData("sqrt(x)^2", "x")>]
[<InlineData("sqrt(x^2)", "abs(x)")>]
[<InlineData("(x^2)^(3/2)", "abs(x)^3")>]
[<InlineData("(x^4)^(1/2)", "x^2")>]
[<InlineData("(x^3)^(1/3)", "x")>]
[<InlineData("abs(x)^2", "x^2")>]
[<InlineData("sqrt(4*x)", "2*sqrt(x)")>]
[<InlineData("sqrt(12)", "2*sqrt(3)")>]
[<InlineData("2^(3/2)", "2*sqrt(2)")>]
[<InlineData("1/sqrt(2)", "sqrt(2)/2")>]
[<InlineData("sqrt(2)*sqrt(6)", "2*sqrt(3)")>]
[<InlineData("16^(1/3)", "2*2^(1/3)")>]
let ``powers and roots combine only where the result keeps the value`` (input: string, expected: string) =
    simplifiesTo expected input

[<Fact>]
let ``an approximate constant in an exponent becomes a factor and merges with the others, an exact one stays`` () =
    // What the search fits: 0.37*exp(0.99 - x)/x is exp(-x)/x up to rounding.
    match Simplify.simplify (parse "0.3697818563*exp(0.9948420248 - x)/x") with
    | Product [ Approx c; Power(Variable "x", Number m1); Apply("exp", [ Product [ Number n1; Variable "x" ] ]) ] ->
        Assert.Equal(1.0, c, 4)
        Assert.Equal(-1, int m1.Numerator)
        Assert.Equal(-1, int n1.Numerator)
    | other -> failwithf "unexpected form %A" other
    simplifiesTo "exp(x + 1)" "exp(x + 1)"

[<Theory>]
[<InlineData("exp(x)*exp(y)", "exp(x + y)")>]
[<InlineData("exp(x)/exp(x)", "1")>]
[<InlineData("exp(x)^2", "exp(2*x)")>]
[<InlineData("e^x * e", "exp(x + 1)")>]
[<InlineData("log(exp(x))", "x")>]
[<InlineData("exp(log(x))", "x")>]
[<InlineData("exp(2*log(x))", "x^2")>]
[<InlineData("exp(log(x) + y)", "x*exp(y)")>]
[<InlineData("log(sqrt(x))", "log(x)/2")>]
[<InlineData("log(1/x)", "-log(x)")>]
[<InlineData("log(x^2)", "2*log(abs(x))")>]
[<InlineData("log(1/2)", "-log(2)")>]
[<InlineData("exp(0)", "1")>]
[<InlineData("exp(1)", "e")>]
[<InlineData("log(1)", "0")>]
[<InlineData("log(e)", "1")>]
[<InlineData("log10(1000)", "3")>]
let ``exponentials and logarithms follow their identities`` (input: string, expected: string) =
    simplifiesTo expected input

[<Theory>]
[<InlineData("sin(x)^2 + cos(x)^2", "1")>]
[<InlineData("3*y*sin(x)^2 + 3*y*cos(x)^2", "3*y")>]
[<InlineData("2*sin(x)^2 + cos(x)^2", "1 + sin(x)^2")>]
[<InlineData("1 - sin(x)^2", "cos(x)^2")>]
[<InlineData("y - y*cos(x)^2", "y*sin(x)^2")>]
[<InlineData("cosh(x)^2 - sinh(x)^2", "1")>]
[<InlineData("1 + sinh(x)^2", "cosh(x)^2")>]
[<InlineData("sin(-x)", "-sin(x)")>]
[<InlineData("cos(-x)", "cos(x)")>]
[<InlineData("cos(y - x)", "cos(x - y)")>]
[<InlineData("tan(-2*x)", "-tan(2*x)")>]
[<InlineData("sin(x)/cos(x)", "tan(x)")>]
[<InlineData("sin(x + pi/2)", "cos(x)")>]
[<InlineData("cos(x + pi)", "-cos(x)")>]
[<InlineData("sin(x - 2*pi)", "sin(x)")>]
[<InlineData("sin(0)", "0")>]
[<InlineData("cos(0)", "1")>]
[<InlineData("sin(pi)", "0")>]
[<InlineData("cos(pi/3)", "1/2")>]
[<InlineData("sin(pi/4)", "sqrt(2)/2")>]
[<InlineData("sin(7*pi/6)", "-1/2")>]
[<InlineData("tan(pi/4)", "1")>]
[<InlineData("sin(asin(x))", "x")>]
[<InlineData("atan(1)", "pi/4")>]
let ``trigonometric identities and exact values`` (input: string, expected: string) =
    simplifiesTo expected input

[<Theory>]
[<InlineData("abs(-3)", "3")>]
[<InlineData("abs(1 - pi)", "pi - 1")>]
[<InlineData("abs(-3*x)", "3*abs(x)")>]
[<InlineData("abs(exp(x))", "exp(x)")>]
[<InlineData("abs(x^2 + 1)", "x^2 + 1")>]
[<InlineData("abs(abs(x))", "abs(x)")>]
[<InlineData("sign(-2)", "-1")>]
[<InlineData("relu(-2)", "0")>]
[<InlineData("max(2, 3)", "3")>]
[<InlineData("min(x, x)", "x")>]
let ``absolute values and friends fold when the sign is known`` (input: string, expected: string) =
    simplifiesTo expected input

[<Fact>]
let ``closed forms with approximate numbers fold to one approximate number`` () =
    match Simplify.simplify (parse "sin(0.5*pi) + 2.0*exp(0.1)") with
    | Approx v -> Assert.Equal(1.0 + 2.0 * exp 0.1, v, 12)
    | other -> failwithf "not folded: %A" other
    // Exact ones stay exact.
    match Simplify.simplify (parse "sin(2)") with
    | Apply("sin", [ Integer 2 ]) -> ()
    | other -> failwithf "sin(2) must stay symbolic: %A" other

[<Theory>]
[<InlineData("log(x*y)")>]
[<InlineData("asin(sin(x))")>]
[<InlineData("atan(tan(x))")>]
[<InlineData("(x^y)^(1/2)")>]
[<InlineData("(x*y)^(1/2)")>]
let ``rules that only hold on part of the domain are not applied`` (input: string) =
    Assert.Equal(parse input, Simplify.simplify (parse input))

[<Fact>]
let ``expand multiplies out products and whole powers of sums`` () =
    Assert.Equal(parse "x^3 + 3*x^2*y + 3*x*y^2 + y^3", Simplify.expand (parse "(x + y)^3"))
    Assert.Equal(parse "x^2 - 1", Simplify.expand (parse "(x + 1)*(x - 1)"))
    Assert.Equal(parse "1/(x^2 + 2*x + 1)", Simplify.expand (parse "(x + 1)^-2"))
    Assert.Equal(parse "sin(x^2 + x)", Simplify.expand (parse "sin(x*(x + 1))"))
    Assert.Equal(Expr.zero, Simplify.expand (parse "(x + 1)^2 - x^2 - 2*x - 1"))

[<Fact>]
let ``collect groups the terms by their part that depends on the variable`` () =
    let collected = Simplify.collect "x" (parse "x*y + x + y*x^2 + 2*x^2 + 5")
    Assert.Equal(Expr.sum [ parse "5"; parse "x*(1 + y)"; Expr.product [ parse "x^2"; parse "2 + y" ] ], collected)
    match collected with
    | Sum [ Integer 5; Product [ Variable "x"; Sum _ ]; Product [ Power(Variable "x", Integer 2); Sum _ ] ] -> ()
    | other -> failwithf "not collected: %A" other

[<Fact>]
let ``simplify reaches a fixpoint`` () =
    for text in [ "sin(x)^2 + cos(x)^2 + exp(log(x))*exp(y)"; "abs(-x)^2 + sqrt(x^2)"; "log(exp(x) * exp(y))" ] do
        let once = Simplify.simplify (parse text)
        Assert.Equal(once, Simplify.simplify once)

// ---- Properties on random expressions ---------------------------------------------------------------------------------

/// Random points for the variables of the generator, drawn from a few ranges (positive-only among them).
let samplePoints (count: int) =
    let seeded = Random(11)
    [ for i in 1..count ->
          let draw () =
              match i % 3 with
              | 0 -> 0.1 + 3.0 * seeded.NextDouble()
              | 1 -> -3.0 + 6.0 * seeded.NextDouble()
              | _ -> -1.0 + 2.0 * seeded.NextDouble()
          [ for v in Generators.variables -> v, draw () ] ]

let private valueAt (point: (string * float) list) (e: Expr) =
    Equivalence.valueWithError (dict point |> Collections.Generic.Dictionary) e

/// Where `original` is defined (finite, not huge) and well conditioned (estimated rounding error below a millionth of
/// its size), `rewritten` is defined (or, with `strict` false, may be undefined) and has the same value within
/// `tolerance` (relative, with an absolute floor of `tolerance`) plus a hundred times the estimated rounding errors of
/// both.
let keepsValue (strict: bool) (tolerance: float) (original: Expr) (rewritten: Expr) =
    let epsilon = 2.2e-16
    samplePoints 12
    |> List.forall (fun point ->
        let before, errorBefore = valueAt point original
        let wellDefined =
            Double.IsFinite before && Double.IsFinite errorBefore && abs before < 1e8
            && errorBefore * epsilon <= 1e-6 * max (abs before) 1e-3
        if not wellDefined then true
        else
            let after, errorAfter = valueAt point rewritten
            let ok =
                (not strict && not (Double.IsFinite after))
                || Double.IsFinite after
                   && abs (before - after)
                      <= tolerance * max 1.0 (max (abs before) (abs after)) + 100.0 * epsilon * (errorBefore + errorAfter)
            if not ok then
                failwithf "at %A: %g (error %g) became %g (error %g) in %A" point before errorBefore after errorAfter rewritten
            ok)

[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 1000)>]
let ``simplify keeps the value of the expression at random points where it is defined`` (e: Expr) =
    keepsValue true 1e-8 e (Simplify.simplify e)

[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 1000)>]
let ``simplify is idempotent`` (e: Expr) =
    let s = Simplify.simplify e
    Simplify.simplify s = s

/// Multiplying out can cancel catastrophically (a tiny positive argument of log may come out negative), so the
/// expanded form is only compared where it is defined.
[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 300)>]
let ``expand keeps the value of the expression at random points where both are defined`` (e: Expr) =
    keepsValue false 1e-8 e (Simplify.expand e)
