/// Random expressions for property tests, built through the operator table's `Build` so they are canonical.
module Symbolic.Tests.Generators

open FsCheck
open FsCheck.FSharp
open Symbolic

/// The variables random expressions use.
let variables = [ "x"; "y"; "z" ]

let private leaf : Gen<Expr> =
    Gen.frequency [
        4, Gen.elements variables |> Gen.map Expr.variable
        2, Gen.choose (-5, 5) |> Gen.map Expr.number
        1, Gen.zip (Gen.choose (-9, 9)) (Gen.choose (1, 7)) |> Gen.map (fun (p, q) -> Expr.fraction p q)
        1, Gen.choose (-300, 300) |> Gen.map (fun k -> Expr.approx (float k / 100.0 + 0.005))
        1, Gen.elements [ Expr.pi; Expr.e ] ]

let private unaryNames = [ "neg"; "square"; "cube"; "sqrt"; "inv"; "abs"; "exp"; "log"; "sin"; "cos"; "tan"; "atan"; "tanh"; "sinh"; "cbrt" ]
let private binaryNames = [ "add"; "sub"; "mul"; "div"; "max"; "min" ]

let private build (name: string) (args: Expr list) = (Operators.find name).Build args

/// Expressions of at most `size` operator applications.
let rec sized (size: int) : Gen<Expr> =
    if size <= 0 then leaf
    else
        Gen.frequency [
            2, leaf
            3, gen {
                let! name = Gen.elements binaryNames
                let! left = sized (size / 2)
                let! right = sized (size / 2)
                return build name [ left; right ] }
            2, gen {
                let! name = Gen.elements unaryNames
                let! arg = sized (size - 1)
                return build name [ arg ] }
            1, gen {
                let! b = sized (size - 1)
                let! n = Gen.choose (-3, 4)
                return Expr.powerInt b n } ]

/// FsCheck arbitrary: use with `[<Property(Arbitrary = [| typeof<Generators.Arbitraries> |])>]`.
type Arbitraries =
    static member Expr() : Arbitrary<Expr> = Arb.fromGen (Gen.sized (fun s -> sized (min s 12)))
