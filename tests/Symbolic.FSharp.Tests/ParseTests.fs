module Symbolic.Tests.ParseTests

open System
open System.IO
open Xunit
open Symbolic

let x = Expr.variable "x"
let y = Expr.variable "y"
let z = Expr.variable "z"

let parse (text: string) =
    match Parse.expression text with
    | Ok e -> e
    | Error e -> failwithf "'%s' did not parse: %O" text e

let parseError (text: string) =
    match Parse.expression text with
    | Ok e -> failwithf "'%s' parsed to %A but should fail" text e
    | Error e -> e

let sin a = (Operators.find "sin").Build [ a ]

[<Fact>]
let ``power is right associative and both spellings mean power`` () =
    Assert.Equal(Expr.power x (Expr.power y z), parse "x^y^z")
    Assert.Equal(Expr.power x (Expr.power y z), parse "x**y**z")
    Assert.Equal(Expr.power (Expr.power x y) z, parse "(x^y)^z")

[<Fact>]
let ``unary minus binds looser than power`` () =
    Assert.Equal(Expr.negate (Expr.powerInt x 2), parse "-x^2")
    Assert.Equal(Expr.powerInt (Expr.negate x) 2, parse "(-x)^2")
    Assert.Equal(Expr.powerInt x -2, parse "x^-2")
    Assert.Equal(Expr.number -8, parse "-2^3")

[<Fact>]
let ``products bind tighter than sums and both associate to the left`` () =
    Assert.Equal(x + y * z, parse "x + y*z")
    Assert.Equal((x - y) - z, parse "x - y - z")
    Assert.Equal((x / y) / z, parse "x / y / z")
    Assert.Equal(x / (y * z), parse "x/(y*z)")
    Assert.Equal(x * y / z, parse "x*y/z")
    Assert.Equal(Expr.number 7, parse "1 + 2*3")
    Assert.Equal(Expr.number 9, parse "(1 + 2)*3")

[<Fact>]
let ``integers are exact, decimals and exponents are approximate`` () =
    Assert.Equal(Expr.number 2, parse "2")
    Assert.Equal(Expr.approx 0.5, parse ".5")
    Assert.Equal(Expr.approx 0.001, parse "1e-3")
    Assert.Equal(Expr.approx 2.5e10, parse "2.5E+10")
    Assert.Equal(Expr.approx 2.0, parse "2.0")
    match parse "2.0" with
    | Approx _ -> ()
    | other -> failwithf "2.0 must stay approximate: %A" other
    Assert.Equal(Expr.fraction 1 3, parse "1/3")
    Assert.Equal(Number(Rational.OfBigInt(bigint.Parse "123456789012345678901234567890")), parse "123456789012345678901234567890")

[<Fact>]
let ``pi and e are constants and other names are variables`` () =
    Assert.Equal(Expr.pi, parse "pi")
    Assert.Equal(Expr.e, parse "e")
    Assert.Equal(Expr.product [ Expr.two; Expr.pi; x ], parse "2*pi*x")
    for name in [ "theta1"; "x_0"; "m_0"; "A_vec"; "g_"; "_a"; "Ef"; "logx"; "sinh2"; "pi2"; "exp_x" ] do
        Assert.Equal(Expr.variable name, parse name)

[<Fact>]
let ``operators resolve by name and alias and build canonical forms`` () =
    Assert.Equal(sin x, parse "sin(x)")
    Assert.Equal(Apply("asin", [ x ]), parse "arcsin(x)")
    Assert.Equal(Apply("log", [ x ]), parse "ln(x)")
    Assert.Equal(Apply("exp", [ x ]), parse "exp( x )")
    Assert.Equal(Expr.powerInt x 2, parse "square(x)")
    Assert.Equal(Expr.sqrt x, parse "sqrt(x)")
    Assert.Equal(Expr.invert x, parse "inv(x)")
    Assert.Equal(Apply("max", [ x; y ]), parse "max(x, y)")
    Assert.Equal(Apply("abs", [ x ]), parse "Abs(x)")
    Assert.Equal(Expr.power x y, parse "pow(x, y)")

[<Fact>]
let ``unknown calls are placeholders`` () =
    Assert.Equal(Placeholder("h1", [ x; y ]), parse "h1(x, y)")
    Assert.Equal(x + Placeholder("f", [ x * 2 ]), parse "x + f(2*x)")
    Assert.Equal(Placeholder("g", []), parse "g()")

[<Fact>]
let ``names given as parameters parse as parameters`` () =
    let options = Parse.withParameters [ "a"; "b" ]
    match Parse.expressionWith options "a*x + b" with
    | Ok e -> Assert.Equal(Expr.parameter "a" 1.0 * x + Expr.parameter "b" 1.0, e)
    | Error e -> failwithf "%O" e
    Assert.Equal(Expr.variable "a", parse "a")

[<Fact>]
let ``bad input reports line, column and what was expected`` () =
    let e = parseError "x + * y"
    Assert.Equal((1, 5), (e.Line, e.Column))
    Assert.StartsWith("expected a number, a name or '('", e.Message)
    let e = parseError "x y"
    Assert.Equal((1, 3), (e.Line, e.Column))
    Assert.Contains("an operator", e.Message)
    Assert.Contains("found 'y'", e.Message)
    Assert.Equal("line 1, column 3: " + e.Message, e.ToString())
    let e = parseError "sin(x"
    Assert.Equal((1, 6), (e.Line, e.Column))
    Assert.Contains("')'", e.Message)
    Assert.Contains("end of input", e.Message)
    let e = parseError "(x + 1"
    Assert.Equal((1, 7), (e.Line, e.Column))
    let e = parseError ""
    Assert.Equal((1, 1), (e.Line, e.Column))
    let e = parseError "x +\n  )"
    Assert.Equal((2, 3), (e.Line, e.Column))

[<Fact>]
let ``misused operator names are reported at the name`` () =
    let e = parseError "1 + sin(x, y)"
    Assert.Equal((1, 5), (e.Line, e.Column))
    Assert.Equal("expected 1 argument for sin, found 2", e.Message)
    let e = parseError "2*max(x)"
    Assert.Equal((1, 3), (e.Line, e.Column))
    Assert.Equal("expected 2 arguments for max, found 1", e.Message)
    let e = parseError "sin x"
    Assert.Equal((1, 1), (e.Line, e.Column))
    Assert.StartsWith("expected '(' after sin", e.Message)
    let e = parseError "x + pi(2)"
    Assert.Equal((1, 5), (e.Line, e.Column))

[<Fact>]
let ``no exception escapes for hostile input`` () =
    for text in [ String('(', 5000); String('-', 3000) + "x"; "1/0"; "0^-1"; "1e999999"; "x^^y"; "\u0000"; "((x)"; ")"; "f(,)"; "2 ** ** 3" ] do
        match Parse.expression text with
        | Ok _ | Error _ -> ()
    let e = parseError (String('(', 5000))
    Assert.Equal(1, e.Line)

[<Fact>]
let ``equations name an output or a time derivative`` () =
    let ok r = match r with Ok v -> v | Error (e: ParseError) -> failwithf "%O" e
    Assert.Equal(Equation.output "y" (x * 2), ok (Parse.equation "y = 2*x"))
    Assert.Equal(Equation.derivative "x" (Expr.negate x), ok (Parse.equation "x' = -x"))
    Assert.Equal(Equation.derivative "theta" (Expr.variable "omega"), ok (Parse.equation "dtheta/dt = omega"))
    Assert.Equal(Equation.derivative "x" y, ok (Parse.equation "dx / dt = y"))
    Assert.Equal(Equation.output "dx" y, ok (Parse.equation "dx = y"))
    match Parse.equation "y 2*x" with
    | Error e -> Assert.Equal((1, 3), (e.Line, e.Column)); Assert.Contains("'='", e.Message)
    | Ok e -> failwithf "parsed %A" e

[<Fact>]
let ``systems are separated by newlines or semicolons`` () =
    let text = "# Lotka-Volterra\nx' = a*x - b*x*y\n\n  y' = -c*y + d*x*y   # predators\r\n"
    match Parse.systemWith (Parse.withParameters [ "a"; "b"; "c"; "d" ]) text with
    | Ok [ first; second ] ->
        Assert.Equal(Target.Derivative "x", first.Target)
        Assert.Equal(Target.Derivative "y", second.Target)
        Assert.Equal<(string * float) list>([ "c", 1.0; "d", 1.0 ], Expr.parameters second.Rhs)
    | other -> failwithf "unexpected %A" other
    match Parse.system "dx/dt = y; dy/dt = -x" with
    | Ok eqs -> Assert.Equal<Equation list>([ Equation.derivative "x" y; Equation.derivative "y" (Expr.negate x) ], eqs)
    | Error e -> failwithf "%O" e
    match Parse.system "x' = y\ny' = -x +\nz' = 1" with
    | Error e -> Assert.Equal((2, 10), (e.Line, e.Column))
    | Ok eqs -> failwithf "parsed %A" eqs
    match Parse.system "  \n # nothing\n" with
    | Error _ -> ()
    | Ok eqs -> failwithf "an empty system parsed to %A" eqs

/// A CSV line split on commas (the data files here quote nothing).
let private fields (line: string) = line.Split ','

let private dataFile (name: string) = Path.Combine(AppContext.BaseDirectory, "Data", name)

[<Fact>]
let ``every Feynman formula parses and evaluates to the value Python computes`` () =
    let lines = File.ReadAllLines(dataFile "feynman-heldin.csv")
    let header = fields lines[0]
    let column name = Array.IndexOf(header, name)
    let expected =
        File.ReadAllLines(dataFile "feynman-points.csv")
        |> Array.filter (fun l -> not (l.StartsWith "#") && not (l.StartsWith "Filename"))
        |> Array.map (fun l -> let f = fields l in f[0], float f[1])
        |> Map.ofArray
    let rows = lines[1..] |> Array.filter (fun l -> l.Trim() <> "")
    Assert.Equal(60, rows.Length)
    for line in rows do
        let f = fields line
        let formula = f[column "Formula"]
        let variables =
            [ for k in 1..10 do
                  let name = f[column (sprintf "v%d_name" k)]
                  if name <> "" then
                      let low = float f[column (sprintf "v%d_low" k)]
                      let high = float f[column (sprintf "v%d_high" k)]
                      yield name, low + (high - low) * ((float k * 0.61803) % 1.0) ]
        let e = parse formula
        Assert.True(Set.isSubset (set (Expr.variables e)) (set (List.map fst variables)), sprintf "%s uses unlisted names" formula)
        let value = Evaluate.withValues variables e
        let truth = expected[f[column "Filename"]]
        Assert.True(abs (value - truth) <= 1e-9 * max 1.0 (abs truth), sprintf "%s: %s gives %g, Python %g" f[0] formula value truth)
