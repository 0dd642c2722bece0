namespace Symbolic

open System
open System.Numerics

/// Rewrite rules for powers, roots, absolute value, sign, relu, max and min, and the folding of closed forms that
/// contain approximate numbers. Each rule looks at one node whose children are already simplified and returns the
/// rewritten node, or None when it does not apply.
[<RequireQualifiedAccess>]
module Powers =
    let private absOf (u: Expr) = Apply("abs", [ u ])

    /// A closed node that contains an approximate number becomes that approximate number (`0.5*pi` is `1.5707963...`);
    /// an operator applied to numbers that has no exact value is left alone (`sin(2)` stays).
    let foldApproximate (e: Expr) : Expr option =
        match e with
        | Number _ | Approx _ | Constant _ | Variable _ | Parameter _ -> None
        | _ when Structure.hasApprox e && Structure.isClosed e ->
            match Structure.valueOf e with
            | Some v when Double.IsFinite v -> Some(Approx v)
            | _ -> None
        | _ -> None

    /// (b^a)^c: combined to b^(a*c) when a is an odd whole number or not whole (then b >= 0 wherever it is
    /// defined), to |b|^(a*c) when a is even (`sqrt(x^2) = |x|`); left alone for a symbolic a.
    let private powerOfPower (b: Expr) (a: Expr) (c: Expr) =
        match a with
        | EvenWhole _ -> Some(Expr.power (absOf b) (Expr.multiply a c))
        | OddWhole _
        | Fractional -> Some(Expr.power b (Expr.multiply a c))
        | _ -> None

    /// n^(p/q) for a positive integer n and a non-integer exponent: the whole part of the exponent split off
    /// (2^(3/2) = 2*sqrt(2), 2^(-1/2) = sqrt(2)/2) and q-th powers taken out of the root (sqrt(12) = 2*sqrt(3)).
    let private integerRoot (n: BigInteger) (exponent: Rational) =
        let q = exponent.Denominator
        let whole =
            let t = BigInteger.Divide(exponent.Numerator, q)
            if exponent.Sign < 0 then t - BigInteger.One else t
        if not whole.IsZero then
            let fraction = exponent - Rational.OfBigInt whole
            Some(Expr.product [ Expr.power (Number(Rational.OfBigInt n)) (Number(Rational.OfBigInt whole))
                                Expr.power (Number(Rational.OfBigInt n)) (Number fraction) ])
        elif q > BigInteger 12 then None
        else
            let q = int q
            let mutable rest = n
            let mutable outside = BigInteger.One
            let mutable k = BigInteger 2
            while k <= BigInteger 1000 && BigInteger.Pow(k, q) <= rest do
                let kq = BigInteger.Pow(k, q)
                if (BigInteger.Remainder(rest, kq)).IsZero then
                    rest <- rest / kq
                    outside <- outside * k
                else k <- k + BigInteger.One
            if outside.IsOne then None
            else
                Some(Expr.product [ Expr.power (Number(Rational.OfBigInt outside)) (Number(Rational.OfBigInt exponent.Numerator))
                                    Expr.power (Number(Rational.OfBigInt rest)) (Number exponent) ])

    /// a^e * b^e = (a*b)^e for positive numbers a, b and a numeric exponent e (sqrt(2)*sqrt(6) = 2*sqrt(3)).
    let private combineNumericRoots (factors: Expr list) =
        let isRoot =
            function
            | Power(Number a, Number _) -> a.Sign > 0
            | _ -> false
        factors
        |> List.filter isRoot
        |> List.groupBy (function Power(_, x) -> x | other -> other)
        |> List.tryFind (fun (_, group) -> group.Length >= 2)
        |> Option.map (fun (exponent, group) ->
            let bases = group |> List.map (function Power(b, _) -> b | other -> other)
            let rest = factors |> List.filter (fun f -> not (List.contains f group))
            Expr.product (Expr.power (Expr.product bases) exponent :: rest))

    /// Rules on one node; see the module description.
    let rewrite (e: Expr) : Expr option =
        match e with
        | Product fs when (fs |> List.filter (function Power(Number a, Number _) -> a.Sign > 0 | _ -> false)).Length >= 2 ->
            combineNumericRoots fs
        | Power(Number r, Number p) when r.IsInteger && r.Sign > 0 && not p.IsInteger -> integerRoot r.Numerator p
        | Power(Power(b, a), c) -> powerOfPower b a c
        // |u|^n = u^n for even n.
        | Power(Fn "abs" u, (EvenWhole _ as n)) -> Some(Expr.power u n)
        // (c*u)^a = c^a * u^a for a positive number c.
        | Power(Product((Number _ | Approx _) as c :: rest), a) when Structure.isNonNegative c ->
            Some(Expr.product [ Expr.power c a; Expr.power (Expr.product rest) a ])
        | Fn "abs" u ->
            match u with
            | _ when Structure.isClosed u ->
                match Structure.valueOf u with
                | Some v when v > 0.0 -> Some u
                | Some v when v < 0.0 -> Some(Structure.negate u)
                | Some 0.0 -> Some Expr.zero
                | _ -> None
            | _ when Structure.isNonNegative u -> Some u
            | Product((Number _ | Approx _) as c :: rest) ->
                Some(Expr.product [ (if Structure.isNonNegative c then c else Expr.negate c); absOf (Expr.product rest) ])
            | Power(b, (OddWhole _ as n)) -> Some(Expr.power (absOf b) n)
            | _ when Structure.isNegativeForm u -> Some(absOf (Structure.negate u))
            | _ -> None
        | Fn "sign" u when Structure.isClosed u ->
            match Structure.valueOf u with
            | Some v when v > 0.0 -> Some Expr.one
            | Some v when v < 0.0 -> Some Expr.minusOne
            | Some 0.0 -> Some Expr.zero
            | _ -> None
        | Fn "sign" u when Structure.isNegativeForm u -> Some(Expr.negate (Apply("sign", [ Structure.negate u ])))
        | Fn "relu" u when Structure.isClosed u ->
            match Structure.valueOf u with
            | Some v when v > 0.0 -> Some u
            | Some v when v <= 0.0 -> Some Expr.zero
            | _ -> None
        | Fn "relu" u when Structure.isNonNegative u -> Some u
        | Apply(("max" | "min") as name, [ a; b ]) ->
            if a = b then Some a
            else
                match Structure.valueOf a, Structure.valueOf b with
                | Some va, Some vb when Double.IsFinite va && Double.IsFinite vb && va <> vb ->
                    let larger = if va > vb then a else b
                    let smaller = if va > vb then b else a
                    Some(if name = "max" then larger else smaller)
                | _ -> None
        | _ -> None
