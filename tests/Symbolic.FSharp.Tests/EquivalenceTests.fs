module Symbolic.Tests.EquivalenceTests

open Xunit
open FsCheck.Xunit
open Symbolic
open Symbolic.Tests.SimplifyTests

/// Known identities (true) and non-identities (false). "Equal" means equal wherever both sides are defined.
let identities : obj[] list =
    [ // algebra and rational functions
      "(x + 1)^2", "x^2 + 2*x + 1", true
      "(a + b)^3", "a^3 + 3*a^2*b + 3*a*b^2 + b^3", true
      "x^3 - y^3", "(x - y)*(x^2 + x*y + y^2)", true
      "(x^2 - 1)/(x - 1)", "x + 1", true
      "(x^3 - 1)/(x - 1)", "x^2 + x + 1", true
      "1/(x - 1) - 1/(x + 1)", "2/(x^2 - 1)", true
      "1/(1/x + 1/y)", "x*y/(x + y)", true
      "x/(x*y)", "1/y", true
      "x*y + x*z", "x*(y + z)", true
      "2.0*x", "2*x", true
      "0.5*x", "x/2", true
      "(x + 1)^2", "x^2 + 1", false
      "x/(y + z)", "x/y + x/z", false
      "x^2 + y^2", "(x + y)^2", false
      "x^2", "x^2 + 1e-6", false
      "x^2", "x^2*(1 + 1e-8)", false
      "(x^2 - 1)/(x - 1)", "x - 1", false
      // powers and roots
      "sqrt(x^2)", "abs(x)", true
      "sqrt(x^2)", "x", false
      "sqrt(x)*sqrt(x)", "x", true
      "sqrt(x)*sqrt(y)", "sqrt(x*y)", true
      "cbrt(x)^3", "x", true
      "x^y", "exp(y*log(x))", true
      "abs(x*y)", "abs(x)*abs(y)", true
      // exponentials and logarithms
      "exp(x)*exp(y)", "exp(x + y)", true
      "exp(x)^3", "exp(3*x)", true
      "exp(x + 1)", "e*exp(x)", true
      "exp(x + 1)", "2.718*exp(x)", false
      "exp(-x^2)", "exp(-x)^2", false
      "log(exp(x))", "x", true
      "exp(2*log(x))", "x^2", true
      "log(x^3)", "3*log(x)", true
      "log(x^2)", "2*log(abs(x))", true
      "log(x*y)", "log(x) + log(y)", true
      "log10(x)", "log(x)/log(10)", true
      "log(x)", "log10(x)", false
      // trigonometry
      "sin(x)^2 + cos(x)^2", "1", true
      "sin(2*x)", "2*sin(x)*cos(x)", true
      "cos(2*x)", "cos(x)^2 - sin(x)^2", true
      "cos(2*x)", "1 - 2*sin(x)^2", true
      "tan(x)", "sin(x)/cos(x)", true
      "1 + tan(x)^2", "1/cos(x)^2", true
      "tan(2*x)", "2*tan(x)/(1 - tan(x)^2)", true
      "sin(x + y)", "sin(x)*cos(y) + cos(x)*sin(y)", true
      "cos(x - y)", "cos(x)*cos(y) + sin(x)*sin(y)", true
      "sin(x)", "cos(x - pi/2)", true
      "sin(x)", "cos(x - 1.5707963)", false
      "sin(x)", "x", false
      "asin(x) + acos(x)", "pi/2", true
      "atan(x) + atan(1/x)", "pi/2", false
      "pi", "355/113", false
      // hyperbolic and others
      "cosh(x)^2 - sinh(x)^2", "1", true
      "sinh(x)", "(exp(x) - exp(-x))/2", true
      "tanh(x)", "(exp(2*x) - 1)/(exp(2*x) + 1)", true
      "cosh(x) + sinh(x)", "exp(x)", true
      "sinh(2*x)", "2*sinh(x)*cosh(x)", true
      "erf(x)", "-erf(-x)", true
      "max(x, y)", "(x + y + abs(x - y))/2", true
      "min(x, y)", "(x + y - abs(x - y))/2", true
      "relu(x)", "(x + abs(x))/2", true
      "max(x, y)", "x", false
      // Feynman-style physics formulas, rewritten
      "q1*q2/(4*pi*epsilon*r^2)", "q1*q2*r^-2/(4*pi*epsilon)", true
      "m*v^2/2", "0.5*m*v*v", true
      "G*m1*m2/r^2", "G*m1*m2/(r*r)", true
      "2*pi*sqrt(L/g)", "sqrt(4*pi^2*L/g)", true
      "f*(c + v)/(c - v)", "f*(1 + v/c)/(1 - v/c)", true
      "(u + v)/(1 + u*v/c^2)", "c^2*(u + v)/(c^2 + u*v)", true
      "exp(-(x/s)^2/2)/(sqrt(2*pi)*s)", "exp(-x^2/(2*s^2))/(s*sqrt(2*pi))", true
      "m*c^2/sqrt(1 - v^2/c^2)", "m*c^2*abs(c)/sqrt(c^2 - v^2)", true
      "m*c^2/sqrt(1 - v^2/c^2)", "m*c^3/sqrt(c^2 - v^2)", false
      "1/sqrt(1 - v^2/c^2)", "sqrt(c^2/(c^2 - v^2))", true
      "q*E_f/(m*(omega0^2 - omega^2))", "q*E_f/(m*omega0^2 - m*omega^2)", true
      "q*E_f/(m*(omega0^2 - omega^2))", "q*E_f/(m*(omega0 - omega)^2)", false
      "mu*B*tanh(mu*B/(k*T))", "mu*B*(exp(2*mu*B/(k*T)) - 1)/(exp(2*mu*B/(k*T)) + 1)", true
      "h*omega^3/(pi^2*c^2*(exp(h*omega/(k*T)) - 1))", "h*omega^3/(pi^2*c^2*exp(h*omega/(k*T)))", false ]
    |> List.map (fun (a, b, expected) -> [| box a; box b; box expected |])

[<Fact>]
let ``the identity table has at least fifty rows with identities and non-identities`` () =
    Assert.True(identities.Length >= 50)
    Assert.Contains(identities, fun row -> row[2] :?> bool)
    Assert.Contains(identities, fun row -> not (row[2] :?> bool))

[<Theory>]
[<MemberData(nameof identities)>]
let ``equivalent decides the table of known identities and non-identities`` (a: string, b: string, expected: bool) =
    let result = Equivalence.equivalent (parse a) (parse b)
    if Equivalence.areEquivalent (parse a) (parse b) <> expected then
        failwithf "'%s' vs '%s': expected %s, got %A" a b (if expected then "equivalent" else "not equivalent") result
    // A negative verdict on the table comes with a witness, never from a lack of points.
    if not expected then
        match result with
        | Different _ -> ()
        | other -> failwithf "'%s' vs '%s' should be Different, got %A" a b other

[<Fact>]
let ``the result says how equivalence was decided`` () =
    Assert.Equal(Identical, Equivalence.equivalent (parse "sin(x)^2 + cos(x)^2") (parse "1"))
    Assert.Equal(Identical, Equivalence.equivalent (parse "(x + y)^2") (parse "x^2 + 2*x*y + y^2"))
    match Equivalence.equivalent (parse "sin(2*x)") (parse "2*sin(x)*cos(x)") with
    | NumericallyEqual(points, maxRelativeError) ->
        Assert.Equal(EquivalenceOptions.Default.Points, points)
        Assert.True(maxRelativeError < 1e-12, string maxRelativeError)
    | other -> failwithf "expected a numeric verdict, got %A" other
    match Equivalence.equivalent (parse "x^2") (parse "x^2 + 1e-6") with
    | Different w ->
        let x = w.Point |> List.find (fun (n, _) -> n = "x") |> snd
        Assert.Equal(x * x, w.Left, 12)
        Assert.Equal(x * x + 1e-6, w.Right, 12)
    | other -> failwithf "expected a witness, got %A" other
    match Equivalence.equivalent (parse "sqrt(-1 - x^2)") (parse "x") with
    | Undecided _ -> ()
    | other -> failwithf "no common domain must be Undecided, got %A" other

[<Fact>]
let ``unknown functions are compared through random smooth stand-ins`` () =
    Assert.Equal(Identical, Equivalence.equivalent (parse "h(x) + h(x)") (parse "2*h(x)"))
    let isNumericallyEqual a b =
        match Equivalence.equivalent (parse a) (parse b) with
        | NumericallyEqual _ -> true
        | other -> failwithf "'%s' vs '%s': expected NumericallyEqual, got %A" a b other
    let isDifferent a b =
        match Equivalence.equivalent (parse a) (parse b) with
        | Different _ -> true
        | other -> failwithf "'%s' vs '%s': expected Different, got %A" a b other
    Assert.True(isNumericallyEqual "h(sin(2*x))" "h(2*sin(x)*cos(x))")
    Assert.True(isDifferent "h(x)*2" "h(x) + 1")
    Assert.True(isDifferent "h(x, y)" "h(y, x)")
    // Partial-derivative placeholders stand for the partials of the same stand-in.
    Assert.True(isNumericallyEqual "D1_h(sin(2*x), y)" "D1_h(2*sin(x)*cos(x), y)")
    Assert.True(isDifferent "D1_h(x, y)" "D2_h(x, y)")
    Assert.True(isDifferent "D1_h(x)" "h(x)")
    match Equivalence.equivalent (Calculus.derivative "x" (parse "h(x^2, y)")) (parse "2*x*g(x^2, y)") with
    | Different _ -> ()
    | other -> failwithf "a partial of h is not another function g: %A" other
    let mixed = Calculus.derivative "y" (Calculus.derivative "x" (parse "h(x*y)"))
    Assert.Equal(Identical, Equivalence.equivalent mixed (Calculus.derivative "x" (Calculus.derivative "y" (parse "h(x*y)"))))

[<Fact>]
let ``the numeric test is reproducible`` () =
    let a, b = parse "sin(x)*y", parse "sin(x)*y*(1 + 1e-7)"
    Assert.Equal(Equivalence.equivalent a b, Equivalence.equivalent a b)
    let options = { EquivalenceOptions.Default with Seed = 1 }
    Assert.Equal(Equivalence.equivalentWith options a b, Equivalence.equivalentWith options a b)

[<Fact>]
let ``rounding constants keeps three decimals as exact fractions`` () =
    let x = Expr.variable "x"
    Assert.Equal(Expr.fraction 333 1000 * x + 2, Equivalence.roundConstants 3 (parse "0.33333*x + 2.0004"))
    Assert.Equal(Expr.zero, Equivalence.roundConstants 3 (parse "0.0001"))
    Assert.Equal(x * Expr.fraction 3 2, Equivalence.roundConstants 3 (Expr.parameter "c" 1.49999999 * x))
    // exact numbers are not rounded
    Assert.Equal(x / 3, Equivalence.roundConstants 3 (x / 3))

/// SRBench's symbolic-solution check: truth, model, expected.
let solutions : obj[] list =
    [ "x*y/2", "0.5001*x*y + 3.2", true // difference is a constant after rounding
      "x*y/2", "0.51*x*y", true // ratio is a constant
      "x*y/2", "0.5*x*y + 0.01*x", false
      "sin(x)", "sin(1.0001*x)", true
      "sin(x)", "sin(1.001*x)", false
      "exp(-theta^2/2)/sqrt(2*pi)", "0.3989*exp(-0.5*theta^2)", true
      "exp(-theta^2/2)/sqrt(2*pi)", "0.3989*exp(-0.49*theta^2)", false
      "G*m1*m2/r^2", "6.674*m1*m2*G/(r^2)", true
      "x + y", "x", false
      "x", "0", false
      "x^2 + 2*x + 1", "(x + 1)^2 - 5.0", true
      "q/(4*pi*epsilon*r^2)", "0.0796*q/(epsilon*r^2)", true ]
    |> List.map (fun (t, m, expected) -> [| box t; box m; box expected |])

[<Theory>]
[<MemberData(nameof solutions)>]
let ``isSymbolicSolution implements SRBench's definition`` (truth: string, model: string, expected: bool) =
    Assert.Equal(expected, Equivalence.isSymbolicSolution (parse truth) (parse model))

[<Fact>]
let ``difference and ratio tests report how they decided`` () =
    Assert.Equal(Identical, Equivalence.differenceIsConstant (parse "x + 3") (parse "x - 1"))
    Assert.Equal(Identical, Equivalence.ratioIsConstant (parse "2*x*y") (parse "x*y"))
    match Equivalence.differenceIsConstant (parse "sin(x)^2") (parse "-cos(2*x)/2") with
    | NumericallyEqual _ -> ()
    | other -> failwithf "expected NumericallyEqual, got %A" other
    match Equivalence.differenceIsConstant (parse "x^2") (parse "x") with
    | Different _ -> ()
    | other -> failwithf "expected Different, got %A" other
    match Equivalence.ratioIsConstant (parse "0*x") (parse "x") with
    | Different _ -> ()
    | other -> failwithf "a zero ratio must be Different, got %A" other

[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 500)>]
let ``an expression is equivalent to its simplified form`` (e: Expr) =
    match Equivalence.equivalent e (Simplify.simplify e) with
    | Identical
    | NumericallyEqual _ -> true
    | Undecided _ -> true // defined nowhere among the sampled points
    | Different w -> failwithf "%A differs from its simplified form at %A" e w
