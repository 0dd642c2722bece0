module Symbolic.Tests.ExpressionTests

open Xunit
open Symbolic

let x = Expr.variable "x"
let y = Expr.variable "y"

[<Fact>]
let ``like terms are collected and cancel`` () =
    Assert.Equal(Expr.zero, x - x)
    Assert.Equal(Expr.product [ Expr.number 2; x ], x + x)
    Assert.Equal(Expr.one, x / x)
    Assert.Equal(Expr.powerInt x 2, x * x)

[<Fact>]
let ``sums and products are flat and ordered regardless of input order`` () =
    Assert.Equal(x + (y + 1), (1 + y) + x)
    Assert.Equal(x * (y * 3), 3 * y * x)
    match x + y + 2 with
    | Sum [ Number _; Variable "x"; Variable "y" ] -> ()
    | other -> failwithf "not canonical: %A" other

[<Fact>]
let ``exact constants fold exactly`` () =
    Assert.Equal(Expr.fraction 1 3, Expr.number 1 / 3)
    Assert.Equal(Expr.fraction 5 6, Expr.fraction 1 2 + Expr.fraction 1 3)
    Assert.Equal(Expr.number 2, Expr.power (Expr.number 4) (Expr.fraction 1 2))
    Assert.Equal(Expr.number 2, Expr.sqrt Expr.two * Expr.sqrt Expr.two)

[<Fact>]
let ``powers of powers combine only for integer outer exponents`` () =
    Assert.Equal(Expr.powerInt x 6, Expr.powerInt (Expr.powerInt x 2) 3)
    match Expr.power (Expr.powerInt x 2) (Expr.fraction 1 2) with
    | Power(Power(Variable "x", Integer 2), _) -> ()
    | other -> failwithf "sqrt(x^2) must not become x: %A" other

[<Fact>]
let ``naive evaluation follows the operator table`` () =
    let e = Expr.apply "sin" [ x ] + Expr.powerInt y 2
    let v = Evaluate.withValues [ "x", 0.5; "y", 3.0 ] e
    Assert.Equal(sin 0.5 + 9.0, v, 12)

[<FsCheck.Xunit.Property(Arbitrary = [| typeof<Generators.Arbitraries> |], MaxTest = 200)>]
let ``rebuilding an expression through the smart constructors changes nothing`` (e: Expr) =
    Expr.mapLeaves id e = e
