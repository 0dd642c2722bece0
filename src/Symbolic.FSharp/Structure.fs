namespace Symbolic

open System
open System.Numerics

/// Active patterns shared by the rewrite modules (Powers, Exponentials, Trigonometry, ...).
[<AutoOpen>]
module RulePatterns =
    /// A unary registered operator named `name` applied to one argument: `| Fn "sin" u ->`.
    let (|Fn|_|) (name: string) (e: Expr) =
        match e with
        | Apply(n, [ u ]) when n = name -> Some u
        | _ -> None

    /// A whole number, exact or approximate (`2`, `2.0`), as a double; used for parity questions such as whether
    /// `x^n` is even in x (the evaluator treats an integral double exponent like an integer).
    let (|Whole|_|) (e: Expr) =
        match e with
        | Number r when r.IsInteger -> Some(float r.Numerator)
        | Approx x when Double.IsFinite x && x = Math.Round x -> Some x
        | _ -> None

    /// A non-zero even whole number.
    let (|EvenWhole|_|) (e: Expr) =
        match e with
        | Whole w when w <> 0.0 && Math.IEEERemainder(w, 2.0) = 0.0 -> Some w
        | _ -> None

    /// An odd whole number.
    let (|OddWhole|_|) (e: Expr) =
        match e with
        | Whole w when Math.IEEERemainder(w, 2.0) <> 0.0 -> Some w
        | _ -> None

    /// A number that is not whole (`1/2`, `0.3`): `x^a` with such an `a` is only defined for x >= 0.
    let (|Fractional|_|) (e: Expr) =
        match e with
        | Number r when not r.IsInteger -> Some()
        | Approx x when Double.IsFinite x && x <> Math.Round x -> Some()
        | _ -> None

    /// A rational multiple of pi, `r*pi`, as r.
    let (|PiMultiple|_|) (e: Expr) =
        match e with
        | Constant Pi -> Some Rational.One
        | Product [ Number r; Constant Pi ] -> Some r
        | _ -> None

    /// A term split into its numeric coefficient and the list of its other factors: `3*x*y^2` is (3, [x; y^2]),
    /// `x` is (1, [x]), `5` is (5, []).
    let (|CoefficientFactors|) (term: Expr) =
        match term with
        | Number _ | Approx _ -> term, []
        | Product((Number _ | Approx _) as c :: fs) -> c, fs
        | Product fs -> Expr.one, fs
        | f -> Expr.one, [ f ]

/// Structural helpers the rewrite modules share: traversal, dependence, sign facts and values of closed forms.
[<RequireQualifiedAccess>]
module Structure =
    /// `e` itself when no operand changed (the same objects), else `build` of the new operands: re-canonicalising an
    /// unchanged long sum at every pass would cost a sort per pass.
    let private rebuildIfChanged (build: Expr list -> Expr) (e: Expr) (before: Expr list) (after: Expr list) =
        if List.forall2 (fun (a: Expr) (b: Expr) -> obj.ReferenceEquals(a, b)) before after then e else build after

    /// Rebuilds `e` bottom-up through the smart constructors, applying `f` to every rebuilt node (children first).
    let rec bottomUp (f: Expr -> Expr) (e: Expr) : Expr =
        let rebuilt =
            match e with
            | Number _ | Approx _ | Constant _ | Variable _ | Parameter _ -> e
            | Sum xs -> rebuildIfChanged Expr.sum e xs (List.map (bottomUp f) xs)
            | Product xs -> rebuildIfChanged Expr.product e xs (List.map (bottomUp f) xs)
            | Power(b, x) -> Expr.power (bottomUp f b) (bottomUp f x)
            | Apply(n, xs) -> Apply(n, List.map (bottomUp f) xs)
            | Placeholder(n, xs) -> Placeholder(n, List.map (bottomUp f) xs)
        f rebuilt

    /// True when `e` mentions the variable or parameter called `name` (also inside placeholder arguments).
    let rec dependsOn (name: string) (e: Expr) : bool =
        match e with
        | Variable v -> v = name
        | Parameter(n, _) -> n = name
        | _ -> Expr.children e |> List.exists (dependsOn name)

    /// True when `e` has no variables, parameters or placeholders, so it denotes one number.
    let rec isClosed (e: Expr) : bool =
        match e with
        | Variable _ | Parameter _ | Placeholder _ -> false
        | _ -> Expr.children e |> List.forall isClosed

    /// True when an approximate number occurs in `e`.
    let rec hasApprox (e: Expr) : bool =
        match e with
        | Approx _ -> true
        | _ -> Expr.children e |> List.exists hasApprox

    /// True when a placeholder (unknown function) occurs in `e`.
    let rec hasPlaceholder (e: Expr) : bool =
        match e with
        | Placeholder _ -> true
        | _ -> Expr.children e |> List.exists hasPlaceholder

    /// The value of a closed expression (NaN where undefined); None when `e` is not closed.
    let valueOf (e: Expr) : float option =
        if isClosed e then Some(Evaluate.withValues [] e) else None

    /// The operator `name` (or an alias) applied to `args` through its `Build` (so `square(x)` is `x^2` and an alias
    /// becomes the operator's name); an unregistered name stays a plain `Apply`.
    let build (name: string) (args: Expr list) : Expr =
        match Operators.tryFind name with
        | Some op when op.Arity = args.Length -> op.Build args
        | _ -> Apply(name, args)

    /// -e, with the sign distributed over the terms of a sum (the smart constructors keep `-(x + y)` as a product).
    let negate (e: Expr) : Expr =
        match e with
        | Sum ts -> Expr.sum (List.map Expr.negate ts)
        | _ -> Expr.negate e

    /// A number times a sum, distributed: `2*(x + y)` is `2*x + 2*y` (as SymPy does); None for other forms.
    let distributeCoefficient (e: Expr) : Expr option =
        match e with
        | Product [ (Number _ | Approx _) as c; Sum ts ] -> Some(Expr.sum (ts |> List.map (Expr.multiply c)))
        | _ -> None

    /// True when `e` reads as negative: a negative number or coefficient, or a sum whose first non-numeric term has a
    /// negative coefficient (`-x + y`, `1 - x`). Exactly one of `e` and `-e` reads as negative when `e` is not zero,
    /// which makes parity rules (`sin(-u) = -sin(u)`) canonical.
    let isNegativeForm (e: Expr) : bool =
        match e with
        | Sum ts ->
            match ts |> List.tryFind (function Number _ | Approx _ -> false | _ -> true) with
            | Some(Negative) -> true
            | _ -> false
        | Negative -> true
        | _ -> false

    /// True when `e` is >= 0 wherever it is defined (a sufficient, syntactic test).
    let rec isNonNegative (e: Expr) : bool =
        match e with
        | Number r -> r.Sign >= 0
        | Approx x -> x >= 0.0
        | Constant _ -> true
        | Power(_, EvenWhole _) -> true
        | Power(_, Fractional) -> true
        | Power(b, _) -> isNonNegative b
        | Fn "abs" _ | Fn "exp" _ | Fn "cosh" _ | Fn "relu" _ -> true
        | Product fs | Sum fs -> List.forall isNonNegative fs
        | _ -> false

    /// The rational r modulo m (m > 0), in [0, m).
    let modulo (r: Rational) (m: Rational) : Rational =
        let q = r / m
        let floor =
            let t = BigInteger.Divide(q.Numerator, q.Denominator)
            if q.Sign < 0 && not q.IsInteger then t - BigInteger.One else t
        r - m * Rational.OfBigInt floor
