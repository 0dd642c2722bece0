namespace Symbolic

open System

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

    /// Rules on one node; see the module description.
    let rewrite (e: Expr) : Expr option =
        match e with
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
