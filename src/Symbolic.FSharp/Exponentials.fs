namespace Symbolic

open System.Numerics

/// Rewrite rules for exp and log. Each rule looks at one node whose children are already simplified.
[<RequireQualifiedAccess>]
module Exponentials =
    let private exp (u: Expr) = Apply("exp", [ u ])
    let private log (u: Expr) = Apply("log", [ u ])

    /// `c*log(u)` as (c, u) for a numeric c (c = 1 for a bare `log(u)`).
    let private (|LogTerm|_|) (term: Expr) =
        match term with
        | Fn "log" u -> Some(Expr.one, u)
        | Product [ (Number _ | Approx _) as c; Fn "log" u ] -> Some(c, u)
        | _ -> None

    /// exp(a) * exp(b) * e = exp(a + b + 1): all exponential factors of a product become one.
    let private combineExponentials (factors: Expr list) =
        let exponents, others =
            factors
            |> List.fold
                (fun (exps, rest) f ->
                    match f with
                    | Fn "exp" a -> a :: exps, rest
                    | Constant E -> Expr.one :: exps, rest
                    | _ -> exps, f :: rest)
                ([], [])
        let hasExp = factors |> List.exists (function Fn "exp" _ -> true | _ -> false)
        if hasExp && exponents.Length >= 2 then Some(Expr.product (exp (Expr.sum exponents) :: others)) else None

    /// log(u^a) = a*log(u) for a numeric a that is not even (then u > 0 wherever u^a is in log's domain), and
    /// a*log(|u|) for an even a.
    let private logOfPower (b: Expr) (a: Expr) =
        match a with
        | EvenWhole _ -> Some(Expr.multiply a (log (Apply("abs", [ b ]))))
        | OddWhole _
        | Fractional -> Some(Expr.multiply a (log b))
        | _ -> None

    let private isPowerOfTen (n: BigInteger) =
        let rec go (n: BigInteger) k =
            if n.IsOne then Some k
            elif n.IsZero || not (BigInteger.Remainder(n, BigInteger 10)).IsZero then None
            else go (n / BigInteger 10) (k + 1)
        if n.Sign > 0 then go n 0 else None

    /// Rules on one node.
    let rewrite (e: Expr) : Expr option =
        match e with
        | Power(Constant E, a) -> Some(exp a)
        | Power(Fn "exp" a, p) -> Some(exp (Expr.multiply p a))
        | Fn "exp" Zero -> Some Expr.one
        | Fn "exp" One -> Some Expr.e
        | Fn "exp" (Fn "log" u) -> Some u
        | Fn "exp" (Product [ (Number _ | Approx _) as c; Fn "log" u ]) -> Some(Expr.power u c)
        | Fn "exp" (Sum ts) when ts |> List.exists (function Approx v -> v > -700.0 && v < 700.0 | _ -> false) ->
            // exp(0.99 - x) = 2.69*exp(-x): an approximate constant in an exponent is a factor in disguise, and as a
            // factor it merges with the others (fitted equations read 0.37*exp(0.99 - x)/x otherwise). Exact
            // numbers stay put: exp(x + 1) is clearer than e*exp(x).
            let constants, rest = ts |> List.partition (function Approx v -> v > -700.0 && v < 700.0 | _ -> false)
            let c = constants |> List.sumBy (function Approx v -> v | _ -> 0.0)
            Some(Expr.product [ Expr.approx (System.Math.Exp c); exp (Expr.sum rest) ])
        | Fn "exp" (Sum ts) when ts |> List.exists (function LogTerm _ -> true | _ -> false) ->
            // exp(c*log(u) + rest) = u^c * exp(rest)
            let logs, rest = ts |> List.partition (function LogTerm _ -> true | _ -> false)
            let powers = logs |> List.map (function LogTerm(c, u) -> Expr.power u c | other -> other)
            Some(Expr.product (if rest.IsEmpty then powers else exp (Expr.sum rest) :: powers))
        | Product fs -> combineExponentials fs
        | Fn "log" One -> Some Expr.zero
        | Fn "log" (Constant E) -> Some Expr.one
        | Fn "log" (Fn "exp" u) -> Some u
        | Fn "log" (Power(b, a)) -> logOfPower b a
        // log(1/n) = -log(n)
        | Fn "log" (Number r) when r.Sign > 0 && r.Numerator.IsOne && not r.IsInteger ->
            Some(Expr.negate (log (Number(Rational.OfBigInt r.Denominator))))
        | Fn "log10" (Number r) when r.IsInteger ->
            isPowerOfTen r.Numerator |> Option.map Expr.number
        | _ -> None
