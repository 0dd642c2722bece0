namespace Symbolic

/// Rewrite rules for trigonometric and hyperbolic functions: exact values at rational multiples of pi, parity,
/// shifts by multiples of pi/2, inverse pairs, sin^2 + cos^2 = 1, cosh^2 - sinh^2 = 1 and sin/cos = tan. Each rule
/// looks at one node whose children are already simplified.
[<RequireQualifiedAccess>]
module Trigonometry =
    let private fn (name: string) (u: Expr) = Apply(name, [ u ])
    let private half = Expr.fraction 1 2
    let private twelve = Rational.OfInt 12

    /// sin(m*pi/12) for the m whose value is a simple closed form (multiples of pi/6 and pi/4).
    let private sinTwelfths (m: int) : Expr option =
        let magnitude =
            match m % 12 with
            | 0 -> Some Expr.zero
            | 2 | 10 -> Some half
            | 3 | 9 -> Some(Expr.multiply half (Expr.sqrt Expr.two))
            | 4 | 8 -> Some(Expr.multiply half (Expr.sqrt (Expr.number 3)))
            | 6 -> Some Expr.one
            | _ -> None
        magnitude |> Option.map (fun v -> if m >= 12 then Expr.negate v else v)

    /// The exact sin(r*pi), when r*12 is a whole number with a simple closed form.
    let private sinOfPiMultiple (r: Rational) =
        let twelfths = Structure.modulo r (Rational.OfInt 2) * twelve
        if twelfths.IsInteger then sinTwelfths (int twelfths.Numerator) else None

    let private cosOfPiMultiple (r: Rational) = sinOfPiMultiple (r + Rational.Create(1I, 2I))

    let private exactValue (name: string) (r: Rational) : Expr option =
        match name with
        | "sin" -> sinOfPiMultiple r
        | "cos" -> cosOfPiMultiple r
        | "tan" ->
            match sinOfPiMultiple r, cosOfPiMultiple r with
            | Some _, Some Zero -> None
            | Some s, Some c -> Some(Expr.divide s c)
            | _ -> None
        | _ -> None

    /// sin, cos or tan of `u + r*pi` where r is a multiple of 1/2, written without the shift.
    let private shifted (name: string) (u: Expr) (r: Rational) : Expr option =
        let quarterTurns = Structure.modulo r (Rational.OfInt 2) * Rational.OfInt 2 // in 0..3
        if not quarterTurns.IsInteger then None
        else
            match name, int quarterTurns.Numerator with
            | ("sin" | "cos" | "tan"), 0 -> Some(fn name u)
            | "sin", 1 -> Some(fn "cos" u)
            | "sin", 2 -> Some(Expr.negate (fn "sin" u))
            | "sin", 3 -> Some(Expr.negate (fn "cos" u))
            | "cos", 1 -> Some(Expr.negate (fn "sin" u))
            | "cos", 2 -> Some(Expr.negate (fn "cos" u))
            | "cos", 3 -> Some(fn "sin" u)
            | "tan", 1 | "tan", 3 -> Some(Expr.negate (Expr.invert (fn "tan" u)))
            | "tan", 2 -> Some(fn "tan" u)
            | _ -> None

    let private oddFunctions = set [ "sin"; "tan"; "sinh"; "tanh"; "asin"; "atan"; "erf" ]
    let private evenFunctions = set [ "cos"; "cosh" ]

    /// Values at zero (and a few more) of the functions this module knows.
    let private specialValue (name: string) (u: Expr) : Expr option =
        match name, u with
        | ("sinh" | "tanh" | "asin" | "atan" | "erf"), Zero -> Some Expr.zero
        | "cosh", Zero -> Some Expr.one
        | "acos", Zero -> Some(Expr.multiply half Expr.pi)
        | "acos", One -> Some Expr.zero
        | "asin", One -> Some(Expr.multiply half Expr.pi)
        | "atan", One -> Some(Expr.multiply (Expr.fraction 1 4) Expr.pi)
        | _ -> None

    /// The squared-function factor `f(u)^2` of a term's factor list, as u and the remaining factors.
    let private squares (name: string) (factors: Expr list) =
        factors
        |> List.indexed
        |> List.choose (fun (i, f) ->
            match f with
            | Power(Fn name u, Integer 2) -> Some(u, factors |> List.removeAt i)
            | _ -> None)

    let private termOf (c: Expr) (factors: Expr list) = Expr.product (c :: factors)

    /// Finds two distinct terms matching `pick` and returns the sum with both replaced by `replace`'s terms.
    let private rewritePair (terms: Expr list) (pick: Expr * Expr list -> Expr * Expr list -> Expr list option) =
        let indexed = terms |> List.indexed
        indexed
        |> List.tryPick (fun (i, CoefficientFactors(ci, fi)) ->
            indexed
            |> List.tryPick (fun (j, CoefficientFactors(cj, fj)) ->
                if i = j then None
                else
                    pick (ci, fi) (cj, fj)
                    |> Option.map (fun replacement ->
                        let rest = terms |> List.indexed |> List.filter (fun (k, _) -> k <> i && k <> j) |> List.map snd
                        Expr.sum (rest @ replacement))))

    /// a*f(u)^2*R + b*g(u)^2*R, for the pair (f, g), rewritten by `combine a b u R`.
    let private squarePair (f: string) (g: string) (combine: Expr -> Expr -> Expr -> Expr list -> Expr list) =
        fun (a, fa) (b, fb) ->
            squares f fa
            |> List.tryPick (fun (u, r) ->
                if squares g fb |> List.exists (fun (v, s) -> v = u && s = r) then Some(combine a b u r) else None)

    /// c*R - c*f(u)^2*R rewritten as c*g(u)^2*R (with `sign` -1), or c*R + c*f(u)^2*R (with `sign` +1).
    let private withRemainder (f: string) (g: string) (sign: Expr) =
        fun (a, fa) (c, fc) ->
            squares f fa
            |> List.tryPick (fun (u, r) ->
                if r = fc && a = Expr.multiply sign c then Some [ termOf c (Power(fn g u, Expr.two) :: r) ] else None)

    let private sumRules : (Expr * Expr list -> Expr * Expr list -> Expr list option) list =
        let sq name u = Power(fn name u, Expr.two)
        [ // a sin^2 + b cos^2 = b + (a - b) sin^2
          squarePair "sin" "cos" (fun a b u r -> [ termOf b r; termOf (Expr.subtract a b) (sq "sin" u :: r) ])
          // a cosh^2 + b sinh^2 = a + (a + b) sinh^2
          squarePair "cosh" "sinh" (fun a b u r -> [ termOf a r; termOf (Expr.add a b) (sq "sinh" u :: r) ])
          // 1 - sin^2 = cos^2, 1 - cos^2 = sin^2, 1 + sinh^2 = cosh^2, cosh^2 - 1 = sinh^2
          withRemainder "sin" "cos" Expr.minusOne
          withRemainder "cos" "sin" Expr.minusOne
          withRemainder "sinh" "cosh" Expr.one
          fun (a, fa) (c, fc) ->
              squares "cosh" fa
              |> List.tryPick (fun (u, r) ->
                  if r = fc && c = Expr.negate a then Some [ termOf a (sq "sinh" u :: r) ] else None) ]

    /// sin(u)^p * cos(u)^-p = tan(u)^p in a product.
    let private tangents (factors: Expr list) =
        factors
        |> List.tryPick (fun f ->
            match f with
            | BaseExponent(Fn "sin" u, p) ->
                let cosine = Expr.power (fn "cos" u) (Expr.negate p)
                if factors |> List.contains cosine then
                    let rest = factors |> List.filter (fun g -> g <> f && g <> cosine)
                    Some(Expr.product (Expr.power (fn "tan" u) p :: rest))
                else None
            | _ -> None)

    /// True when a term has a factor sin(u)^2, cos(u)^2, sinh(u)^2 or cosh(u)^2 (the sum rules look for nothing else).
    let private hasSquaredFunction (CoefficientFactors(_, factors)) =
        factors
        |> List.exists (function
            | Power(Apply(("sin" | "cos" | "sinh" | "cosh"), [ _ ]), Integer 2) -> true
            | _ -> false)

    /// Rules on one node.
    let rewrite (e: Expr) : Expr option =
        match e with
        | Apply(name, [ u ]) ->
            match u with
            | PiMultiple r when exactValue name r |> Option.isSome -> exactValue name r
            | Zero when name = "sin" || name = "tan" -> Some Expr.zero
            | Zero when name = "cos" -> Some Expr.one
            | Sum ts when (name = "sin" || name = "cos" || name = "tan")
                          && ts |> List.exists (function PiMultiple _ -> true | _ -> false) ->
                let shifts, rest = ts |> List.partition (function PiMultiple _ -> true | _ -> false)
                let total = shifts |> List.fold (fun acc t -> match t with PiMultiple r -> acc + r | _ -> acc) Rational.Zero
                let inner = Expr.sum rest
                match shifted name inner total with
                | Some s -> Some s
                | None ->
                    // Reduce the shift modulo 2*pi (pi for tan) and keep it.
                    let period = if name = "tan" then Rational.One else Rational.OfInt 2
                    let reduced = Structure.modulo total period
                    if reduced = total then None
                    else Some(fn name (Expr.add inner (Expr.multiply (Number reduced) Expr.pi)))
            | _ when Structure.isNegativeForm u && oddFunctions.Contains name -> Some(Expr.negate (fn name (Structure.negate u)))
            | _ when Structure.isNegativeForm u && evenFunctions.Contains name -> Some(fn name (Structure.negate u))
            | Fn "asin" v when name = "sin" -> Some v
            | Fn "acos" v when name = "cos" -> Some v
            | Fn "atan" v when name = "tan" -> Some v
            | _ -> specialValue name u
        | Sum ts when ts |> List.exists hasSquaredFunction -> sumRules |> List.tryPick (rewritePair ts)
        | Product fs -> tangents fs
        | _ -> None
