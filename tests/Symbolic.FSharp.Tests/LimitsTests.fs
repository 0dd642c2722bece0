/// The limits of docs/limits.md ("Expressions"): every input that used to exhaust the stack, run for minutes or give
/// a silently wrong answer is refused with a positioned message or answered correctly.
module Symbolic.Tests.LimitsTests

open System
open Xunit
open Symbolic

let parse (text: string) =
    match Parse.expression text with
    | Ok e -> e
    | Error e -> failwithf "'%s' did not parse: %O" (Parse.excerpt text) e

let parseError (text: string) =
    match Parse.expression text with
    | Ok e -> failwithf "'%s' parsed to %s but should fail" (Parse.excerpt text) (Print.infix e)
    | Error e -> e

/// Deepest nesting of the tree, counted without recursion.
let depthOf (e: Expr) =
    let pending = Collections.Generic.Stack<Expr * int>()
    pending.Push((e, 1))
    let mutable deepest = 0
    while pending.Count > 0 do
        let node, depth = pending.Pop()
        deepest <- max deepest depth
        for c in Expr.children node do
            pending.Push((c, depth + 1))
    deepest

let nestingMessage = sprintf "expected at most %d nested levels" Parse.maxDepth

[<Theory>]
[<InlineData("-", "x", 30000, 1)>]
[<InlineData("+", "x", 50000, 1)>]
[<InlineData("x^", "x", 20000, 1)>]
[<InlineData("x^-", "x", 10000, 2)>]
[<InlineData("x**", "x", 10000, 1)>]
[<InlineData("(", "x", 30000, 1)>]
[<InlineData("sin(", "x", 10000, 1)>]
[<InlineData("1000^", "1000", 1000, 1)>]
let ``chains deeper than the nesting limit are refused where the level beyond it starts`` (link: string) (last: string) (count: int) (levelsPerLink: int) =
    let error = parseError (String.replicate count link + last)
    Assert.StartsWith(nestingMessage, error.Message)
    Assert.Equal(1, error.Line)
    // Each link opens `levelsPerLink` levels (`x^-` two: the exponent and the sign); the error points at the operand
    // that would open the level beyond the limit, right after the last link accepted.
    Assert.Equal(Parse.maxDepth / levelsPerLink * link.Length + 1, error.Column)

[<Fact>]
let ``the nesting limit applies to each line of a system and names the line`` () =
    let error =
        match Parse.system ("x' = -x\ny' = " + String.replicate 500 "-" + "y") with
        | Ok _ -> failwith "should fail"
        | Error e -> e
    Assert.Equal(2, error.Line)
    Assert.StartsWith(nestingMessage, error.Message)

[<Fact>]
let ``nesting up to the limit parses and every pass handles the tree`` () =
    let tower = parse (String.replicate (Parse.maxDepth - 1) "x^" + "x")
    let chain = parse (String.replicate (Parse.maxDepth - 1) "sin(" + "x" + String.replicate (Parse.maxDepth - 1) ")")
    for e in [ tower; chain ] do
        Assert.Equal(e, parse (Print.infix e))
        Assert.NotEmpty(Print.latex e + Print.mathml e + Print.sympy e + Print.csharp e)
        Assert.Equal(e, Simplify.simplify e)
        let program = match Compile.toProgram [ "x" ] e with Ok p -> p | Error r -> failwith r
        Assert.Equal(1, (Evaluator.evaluate program [| [| 0.5 |] |]).Values.Length)
    // The chain of sines differentiates within the budget; the tower's derivative is too large and says so.
    Assert.True(Result.isOk (Calculus.tryNthDerivative "x" 1 chain))
    match Calculus.tryNthDerivative "x" 1 tower with
    | Ok d -> failwithf "expected the size limit, got %d nodes" (Expr.size d)
    | Error reason -> Assert.Contains(sprintf "at most %d nodes" Calculus.maxSize, reason)

[<Fact>]
let ``text longer than the length limit is refused at the first character beyond it`` () =
    let error = parseError ("x" + String.replicate Parse.maxLength " ")
    Assert.Equal(1, error.Line)
    Assert.Equal(Parse.maxLength + 1, error.Column)
    Assert.Contains(sprintf "at most %d characters" Parse.maxLength, error.Message)

[<Fact>]
let ``a sum of twenty thousand distinct terms parses flat and prints back`` () =
    let text = String.Join("+", [ for i in 1 .. 20000 -> sprintf "x%d" i ])
    let e = parse text
    match e with
    | Sum terms -> Assert.Equal(20000, terms.Length)
    | other -> failwithf "expected a sum, got %A" (Expr.size other)
    Assert.Equal(2, depthOf e)
    Assert.Equal(e, parse (Print.infix e))
    Assert.Equal(e, Simplify.simplify e)

[<Fact>]
let ``a long product with divisions parses flat, as the pairwise fold would give`` () =
    let text = String.Join("", [ for i in 1 .. 500 -> (if i % 2 = 0 then "/" else "*") + sprintf "y%d" i ])
    let e = parse ("x" + text)
    Assert.Equal(3, depthOf e)
    let pairwise =
        [ 1 .. 500 ] |> List.fold (fun acc i -> let f = Expr.variable (sprintf "y%d" i) in if i % 2 = 0 then acc / f else acc * f) (Expr.variable "x")
    Assert.Equal(pairwise, e)

[<Theory>]
[<InlineData("2*1e400", 3)>]
[<InlineData("x + 1.5e309", 5)>]
[<InlineData("-1e-400", 2)>]
[<InlineData("x^.1e-999", 3)>]
let ``decimals beyond the range of a double are refused at the literal`` (text: string, column: int) =
    let error = parseError text
    Assert.Equal(column, error.Column)
    Assert.StartsWith("number out of range", error.Message)

[<Fact>]
let ``the largest and smallest doubles and zero with an exponent still parse`` () =
    Assert.Equal(Expr.approx Double.MaxValue, parse "1.7976931348623157e308")
    Assert.Equal(Expr.approx Double.Epsilon, parse "5e-324")
    Assert.Equal(Expr.approx 0.0, parse "0.0e-999")

[<Fact>]
let ``integer literals longer than the digit limit are refused`` () =
    Assert.Equal(Expr.rational (Rational.OfBigInt(Numerics.BigInteger.Pow(10I, Parse.maxIntegerDigits - 1))),
                 parse ("1" + String.replicate (Parse.maxIntegerDigits - 1) "0"))
    let error = parseError ("x + 1" + String.replicate Parse.maxIntegerDigits "0")
    Assert.Equal(5, error.Column)
    Assert.StartsWith("number out of range", error.Message)

[<Fact>]
let ``exact powers too large to fold stay symbolic`` () =
    let e = parse "(999999^4096)^4096"
    match e with
    | Power(Number _, Number _) -> ()
    | other -> failwithf "expected a symbolic power of a number, got %s" (Print.infix other)
    // Small exact powers still fold.
    Assert.Equal(Expr.number 1024, parse "2^10")

[<Fact>]
let ``zero divided by zero is undefined, not zero`` () =
    let isNaN e = match e with Approx v -> Double.IsNaN v | _ -> false
    Assert.True(isNaN (parse "0/0"))
    Assert.True(isNaN (Simplify.simplify (parse "0/0")))
    Assert.True(isNaN (parse "0*(1/0)"))
    Assert.True(isNaN (parse "0/0.0"))
    // Cancellation of a symbol and a zero numerator over a symbol are unchanged.
    Assert.Equal(Expr.one, parse "x/x")
    Assert.Equal(Expr.zero, parse "0/x")
    // NaN prints in a form that reads back as NaN.
    Assert.True(isNaN (parse (Print.infix (parse "0/0"))))

[<Fact>]
let ``the derivative variable must be a plain name`` () =
    for name in [ "1+x"; ""; "x y"; "2x"; "sin(x)" ] do
        match Calculus.tryNthDerivative name 1 (parse "x^2") with
        | Ok d -> failwithf "d/d'%s' gave %s instead of an error" name (Print.infix d)
        | Error reason -> Assert.StartsWith("expected a variable name", reason)
    Assert.Equal(Ok(parse "2*x"), Calculus.tryNthDerivative "x" 1 (parse "x^2"))
    Assert.Equal(Ok(parse "2*k_2"), Calculus.tryNthDerivative "k_2" 1 (parse "k_2^2"))

[<Fact>]
let ``derivative orders beyond the limit are refused`` () =
    let reason = match Calculus.tryNthDerivative "x" (Calculus.maxOrder + 1) (parse "x") with Ok _ -> "" | Error r -> r
    Assert.StartsWith(sprintf "expected a derivative order between 0 and %d" Calculus.maxOrder, reason)
    Assert.Equal(Ok(parse "0"), Calculus.tryNthDerivative "x" Calculus.maxOrder (parse "x^3*y"))
    Assert.Throws<ArgumentException>(fun () -> Calculus.nthDerivative "x" -1 (parse "x") |> ignore) |> ignore

[<Fact>]
let ``derivatives that grow past the size budget stop with the limit instead of running for minutes`` () =
    // Each order of tan(tan(tan(x))) is about twice the size of the last; order 16 would have millions of nodes.
    match Calculus.tryNthDerivative "x" 16 (parse "tan(tan(tan(x)))") with
    | Ok d -> failwithf "expected the size limit, got %d nodes" (Expr.size d)
    | Error reason -> Assert.Contains(sprintf "at most %d nodes" Calculus.maxSize, reason)
    // The product rule on 300 factors would copy 300 factors 300 times: refused before it is built.
    let product = parse (String.Join("*", [ for k in 1 .. 300 -> sprintf "sin(%d*x)" k ]))
    Assert.True(Result.isError (Calculus.tryNthDerivative "x" 1 product))

[<Fact>]
let ``error messages show control characters escaped and long input shortened`` () =
    let error = parseError "x\u001b[31m"
    Assert.Equal("expected an operator or end of input, found '\\x1b'", error.Message)
    Assert.DoesNotContain(error.ToString(), fun c -> Char.IsControl c)
    Assert.Equal("a\\x1b[2Jb\\x00", Parse.excerpt "a\u001b[2Jb\u0000")
    Assert.Equal("rtl\\u202e", Parse.excerpt "rtl\u202e")
    let long = Parse.excerpt (String.replicate 1000 "x")
    Assert.Equal(String.replicate 60 "x" + "... (1000 characters)", long)

[<Fact>]
let ``decimal coefficients and exponents of one print so that they read back the same`` () =
    for text in [ "x - y + 2e-40*y"; "1E+158 - e + 1e-160*e - x2"; "-1.0*y"; "x - 2.5*y" ] do
        let e = parse text
        Assert.Equal(e, parse (Print.infix e))
    Assert.Equal(parse "1/x", parse "x^-1.0")

[<Fact>]
let ``numbers near the exact limit stay exact, print and parse back`` () =
    let digits = String.replicate (Expr.maxExactDigits / 2) "7"
    let e = parse (sprintf "%s%s*z/(%s*%s)" digits digits digits "3")
    Assert.Equal(e, parse (Print.infix e))
    // Roots of numbers beyond the range of a double stay symbolic instead of failing.
    match parse (sprintf "(%s)^(1/3)" (String.replicate 400 "9")) with
    | Power(Number _, Number _) -> ()
    | other -> failwithf "expected a symbolic root, got %s" (Parse.excerpt (Print.infix other))
