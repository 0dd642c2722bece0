namespace Symbolic

open System
open System.Numerics

/// How an expression looks on paper, independent of the output language: signs pulled out of sums (`x - y`), negative
/// powers as fractions (`x/y`), `x^(1/2)` as a root, numbers non-negative with explicit negation. Every printer
/// renders this tree, so all of them agree on structure and differ only in notation.
[<RequireQualifiedAccess>]
type Display =
    /// A non-negative integer.
    | Integer of BigInteger
    /// A non-negative (or NaN, or +infinity) approximate number.
    | Decimal of float
    | Constant of Constant
    | Variable of string
    /// A parameter shown by name.
    | Parameter of string
    /// Terms with their signs: (true, t) is `- t`. The first term may be negative too.
    | Sum of (bool * Display) list
    | Negate of Display
    /// Factors multiplied (at least two).
    | Product of Display list
    | Fraction of numerator: Display * denominator: Display
    | Power of baseValue: Display * exponent: Display
    | SquareRoot of Display
    /// A registered operator applied to arguments, by operator name.
    | Call of string * Display list
    | Placeholder of string * Display list

[<RequireQualifiedAccess>]
module Display =
    let private isNumber =
        function
        | Number _ | Approx _ -> true
        | _ -> false

    let private ofRational (r: Rational) =
        if r.IsInteger then Display.Integer r.Numerator
        else Display.Fraction(Display.Integer r.Numerator, Display.Integer r.Denominator)

    /// Negative numbers, -0.0 included, as a negation: "-0.0" as an atom would bind looser than it looks (`a^-0.0^b`).
    let private ofFloat (x: float) = if Double.IsNegative x && not (Double.IsNaN x) then Display.Negate(Display.Decimal -x) else Display.Decimal x

    let private many =
        function
        | [ one ] -> one
        | items -> Display.Product items

    /// The display tree of an expression. With `parameterValues`, parameters show their current values.
    let rec ofExprWith (parameterValues: bool) (e: Expr) : Display =
        let recurse = ofExprWith parameterValues
        match e with
        | Number r when r.Sign < 0 -> Display.Negate(ofRational -r)
        | Number r -> ofRational r
        | Approx x -> ofFloat x
        | Constant c -> Display.Constant c
        | Variable v -> Display.Variable v
        | Parameter(_, v) when parameterValues -> ofFloat v
        | Parameter(name, _) -> Display.Parameter name
        | Sum terms ->
            // Numbers last and a positive term first read better (`y - x + 1`, not `-x + y + 1`); parsing restores
            // the canonical order.
            let numbers, others = List.partition isNumber terms
            let signed =
                others @ numbers
                |> List.map (fun term ->
                    match term with
                    // `x + -1.0*y`: as `x - 1.0*y` it would read back as the exact `x - y` (1.0*y is y).
                    | Product(Approx -1.0 :: _) -> false, recurse term
                    | Negative -> true, recurse (Expr.negate term)
                    | _ -> false, recurse term)
            match signed with
            | (true, _) :: _ when List.exists (fst >> not) signed ->
                let i = List.findIndex (fst >> not) signed
                signed[i] :: List.removeAt i signed
            | _ -> signed
            |> Display.Sum
        | Product _
        | Power _ -> ofProduct parameterValues e
        | Apply(name, args) -> Display.Call(name, List.map recurse args)
        | Placeholder(name, args) -> Display.Placeholder(name, List.map recurse args)

    /// A product (or a lone power) as sign, numerator and denominator.
    and private ofProduct (parameterValues: bool) (e: Expr) : Display =
        let recurse = ofExprWith parameterValues
        let factors =
            match e with
            | Product fs -> fs
            | f -> [ f ]
        let negative, numeratorCoefficient, denominatorCoefficient, rest =
            match factors with
            | Number r :: rest ->
                let a = if r.Sign < 0 then -r else r
                let top = if a.Numerator.IsOne then [] else [ Display.Integer a.Numerator ]
                let bottom = if a.Denominator.IsOne then [] else [ Display.Integer a.Denominator ]
                r.Sign < 0, top, bottom, rest
            | Approx x :: rest -> x < 0.0, [ Display.Decimal(abs x) ], [], rest
            | _ -> false, [], [], factors
        let power b (x: Expr) =
            match x with
            | Number r when r = Rational.Create(1I, 2I) -> Display.SquareRoot(recurse b)
            // Only an exact 1: x^1.0 must print as a power so that it reads back approximate.
            | Number r when r = Rational.One -> recurse b
            | _ -> Display.Power(recurse b, recurse x)
        let top, bottom =
            rest
            |> List.fold
                (fun (top, bottom) factor ->
                    match factor with
                    // 0^-n stays a power: as 1/0^n it would read back as 1/0.
                    | Power(b, (Negative as x)) when (match b with Zero -> false | _ -> true) ->
                        top, power b (Expr.negate x) :: bottom
                    | Power(b, x) -> power b x :: top, bottom
                    | f -> recurse f :: top, bottom)
                ([], [])
        let numerator =
            match numeratorCoefficient @ List.rev top with
            | [] -> Display.Integer BigInteger.One
            | items -> many items
        let body =
            match denominatorCoefficient @ List.rev bottom with
            | [] -> numerator
            | items -> Display.Fraction(numerator, many items)
        if negative then Display.Negate body else body

    /// The display tree of an expression, parameters by name.
    let ofExpr (e: Expr) = ofExprWith false e
