module Symbolic.Tests.PrintTests

open Xunit
open FsCheck
open FsCheck.FSharp
open Symbolic

let parse (text: string) =
    match Parse.expression text with
    | Ok e -> e
    | Error e -> failwithf "'%s' did not parse: %O" text e

let x = Expr.variable "x"
let y = Expr.variable "y"
let z = Expr.variable "z"

[<FsCheck.Xunit.Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 500)>]
let ``printing infix then parsing gives an equal expression`` (e: Expr) =
    let text = Print.infix e
    match Parse.expression text with
    | Ok back -> (back = e) |> Prop.label (sprintf "%s reparsed as %A, was %A" text back e)
    | Error err -> false |> Prop.label (sprintf "%s failed: %O" text err)

[<FsCheck.Xunit.Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 200)>]
let ``equations and systems print and parse back`` (a: Expr) (b: Expr) =
    let system = [ Equation.derivative "x" a; Equation.output "y_0" b ]
    let text = Print.system Print.Format.Infix Print.Options.Default system
    (Parse.system text = Ok system) |> Prop.label text

[<FsCheck.Xunit.Property(MaxTest = 300)>]
let ``approximate numbers print so that they parse back to the same double`` (value: NormalFloat) =
    let e = Expr.approx value.Get
    let text = Print.infix e
    (parse text = e && (match parse text with Approx v -> v = value.Get | _ -> false)) |> Prop.label text

[<Fact>]
let ``canonical forms print readably`` () =
    let cases =
        [ x - y, "x - y"
          x / y, "x/y"
          2 * x / (y * z), "2*x/(y*z)"
          Expr.sqrt x, "sqrt(x)"
          Expr.negate x, "-x"
          Expr.powerInt x 2 + 2 * x + 1, "2*x + x^2 + 1"
          y - x, "y - x"
          x / 3, "x/3"
          Expr.fraction 2 3 * x, "2*x/3"
          Expr.negate (Expr.powerInt x 2), "-x^2"
          Expr.powerInt (x + y) 2, "(x + y)^2"
          Expr.powerInt (x + y) -2, "1/(x + y)^2"
          Expr.power x (Expr.fraction 1 3), "x^(1/3)"
          Expr.power x (Expr.power y z), "x^y^z"
          Expr.power (Expr.power x y) z, "(x^y)^z"
          Expr.power (Expr.number -2) x, "(-2)^x"
          Expr.approx 2.0 * x, "2.0*x"
          Expr.approx -1.0 * x, "-1.0*x"
          Expr.approx 1e-5, "1E-05"
          Expr.fraction -1 3, "-1/3"
          Placeholder("h1", [ x; y ]), "h1(x, y)"
          Apply("max", [ x; Expr.negate y ]), "max(x, -y)"
          Expr.pi * Expr.e, "pi*e" ]
    for e, expected in cases do
        Assert.Equal(expected, Print.infix e)
        Assert.Equal(e, parse expected)
    // Parameters print as their names and parse back when the caller names them.
    let withA = Expr.parameter "a" 1.0 * x
    Assert.Equal("a*x", Print.infix withA)
    Assert.Equal(Ok withA, Parse.expressionWith (Parse.withParameters [ "a" ]) "a*x")

[<Fact>]
let ``significant digits round constants for display only`` () =
    let e = parse "3.14159265*x + 0.000012345"
    Assert.Equal("3.14*x + 1.23E-05", Print.infixWith (Print.withDigits 3) e)
    Assert.Equal("3.14159265*x + 1.2345E-05", Print.infix e)
    Assert.Equal("2.0*x", Print.infixWith (Print.withDigits 3) (parse "2.0001*x"))
    Assert.Equal(@"3.14 x + 1.23 \cdot 10^{-5}", Print.latexWith (Print.withDigits 3) e)
    let p = Expr.parameter "a" 0.123456 * x
    Assert.Equal("0.123*x", Print.infixWith { Print.withDigits 3 with ParameterValues = true } p)
    Assert.Equal("a*x", Print.infixWith (Print.withDigits 3) p)

[<Fact>]
let ``LaTeX uses fractions, roots, Greek letters and subscripts`` () =
    Assert.Equal(@"\frac{e^{-\frac{\theta^{2}}{2}}}{\sqrt{2 \pi}}", Print.latex (parse "exp(-theta**2/2)/sqrt(2*pi)"))
    Assert.Equal(@"\theta_{1} + A_{\mathrm{vec}} x_{0}", Print.latex (parse "theta1 + x_0*A_vec"))
    Assert.Equal(@"3 \cdot 2^{x}", Print.latex (parse "3*2^x"))
    Assert.Equal(@"\left(e^{x}\right)^{2}", Print.latex (parse "exp(x)^2"))
    Assert.Equal(@"\left(\frac{1}{x}\right)^{y}", Print.latex (Expr.power (Expr.invert x) y))
    Assert.Equal(@"-\frac{2.5 x}{y^{2}}", Print.latex (parse "-2.5*x/y^2"))
    Assert.Equal(@"h_{1}\left(x, y\right) - \max\left(x, y\right)", Print.latex (parse "h1(x, y) - max(x, y)"))
    Assert.Equal(@"\mathrm{mass} \left|v\right|", Print.latex (parse "mass*abs(v)"))

[<Fact>]
let ``MathML is a complete presentation element`` () =
    let m = Print.mathml (parse "x^2/(y + 1)")
    Assert.Equal(
        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mfrac><msup><mi>x</mi><mn>2</mn></msup>"
        + "<mrow><mi>y</mi><mo>+</mo><mn>1</mn></mrow></mfrac></math>",
        m)
    Assert.Equal("<mrow><mo>&#x2212;</mo><msqrt><mi>&#x3B8;</mi></msqrt></mrow>", Print.mathmlContent Print.Options.Default (parse "-sqrt(theta)"))
    Assert.Equal(
        "<mrow><mi>max</mi><mo>&#x2061;</mo><mrow><mo>(</mo><mi>a</mi><mo>,</mo><msub><mi>x</mi><mn>0</mn></msub><mo>)</mo></mrow></mrow>",
        Print.mathmlContent Print.Options.Default (parse "max(a, x_0)"))
    // Well-formed XML for a bigger expression.
    let doc = System.Xml.Linq.XDocument.Parse(Print.mathml (parse "exp(-theta**2/2)/sqrt(2*pi) - 1.5e-5*h(x)"))
    Assert.Equal("math", doc.Root.Name.LocalName)

[<Fact>]
let ``SymPy text uses Python operators and SymPy names`` () =
    Assert.Equal("exp(-theta**2/2)/sqrt(2*pi)", Print.sympy (parse "exp(-theta^2/2)/sqrt(2*pi)"))
    Assert.Equal("E + Abs(x) + log(x, 10) + Max(x, y)", Print.sympy (parse "abs(x) + max(x, y) + log10(x) + e"))
    Assert.Equal("x**(1/3) - 1", Print.sympy (parse "x^(1/3) - 1"))

[<Fact>]
let ``C# source uses doubles and Math calls`` () =
    Assert.Equal("Math.Exp(-Math.Pow(theta, 2.0) / 2.0) / Math.Sqrt(2.0 * Math.PI)", Print.csharp (parse "exp(-theta^2/2)/sqrt(2*pi)"))
    Assert.Equal("x / 3.0 + Math.Pow(x, 1.0 / 3.0)", Print.csharp (parse "x/3 + x^(1/3)"))
    Assert.Equal("@in * Math.Max(x, y) - 1.5", Print.csharp (parse "in*max(x, y) - 1.5"))

[<Fact>]
let ``equations print in every format`` () =
    let ok r = match r with Ok v -> v | Error (e: ParseError) -> failwithf "%O" e
    let eqs = ok (Parse.system "dtheta/dt = omega; y = 2*x")
    Assert.Equal("theta' = omega\ny = 2*x", Print.system Print.Format.Infix Print.Options.Default eqs)
    Assert.Equal(@"\begin{aligned}\frac{d\theta}{dt} &= \omega \\ y &= 2 x\end{aligned}", Print.system Print.Format.Latex Print.Options.Default eqs)
    Assert.Equal("[Eq(Derivative(theta, t), omega), Eq(y, 2*x)]", Print.system Print.Format.SymPy Print.Options.Default eqs)
    Assert.Equal("dtheta_dt = omega;\ny = 2.0 * x;", Print.system Print.Format.CSharp Print.Options.Default eqs)
    Assert.Equal("x' = -x", Print.infixEquation (Equation.derivative "x" (Expr.negate x)))
    let m = Print.equation Print.Format.MathML Print.Options.Default eqs.Head
    Assert.StartsWith("<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mrow><mfrac><mrow><mi>d</mi><mi>&#x3B8;</mi></mrow>", m)
    System.Xml.Linq.XDocument.Parse(Print.system Print.Format.MathML Print.Options.Default eqs) |> ignore

[<Fact>]
let ``the write function receives the same text as the string printer`` () =
    let e = parse "sin(x)^2 + 2*x/(y - 1)"
    let sb = System.Text.StringBuilder()
    Print.write Print.Format.Latex Print.Options.Default (fun s -> sb.Append s |> ignore) e
    Assert.Equal(Print.latex e, sb.ToString())
