namespace Symbolic

open System

/// Named mathematical constants that stay symbolic until evaluated.
type Constant =
    | Pi
    | E

/// A mathematical expression in canonical form.
///
/// Sums and products are n-ary, flat (no sum directly inside a sum), with like terms collected, numbers folded into one
/// leading coefficient and operands in a fixed order (see `Order`). Subtraction is a sum with a negated term, division a
/// product with a negative power, so `x - x` and `x / x` fold away on construction. Build values through the functions in
/// the `Expr` module (or the operators on `Expr`), which keep these invariants; the cases are public for matching.
[<CustomEquality; CustomComparison>]
type Expr =
    /// An exact rational number.
    | Number of Rational
    /// An approximate (floating-point) number, e.g. a fitted constant.
    | Approx of float
    /// A named mathematical constant.
    | Constant of Constant
    /// A variable (a data column, a state).
    | Variable of string
    /// A fittable parameter: a constant that a search or fitter may tune, with its current value.
    | Parameter of name: string * value: float
    /// n-ary sum (at least two terms, canonical order).
    | Sum of Expr list
    /// n-ary product (at least two factors, numeric coefficient first).
    | Product of Expr list
    /// base ^ exponent.
    | Power of Expr * Expr
    /// A registered operator applied to its arguments (sin, exp, abs, max, ...), named as in the operator table.
    | Apply of string * Expr list
    /// A call of an unknown function, e.g. `h1(x, y)`: a placeholder for a term a learner must discover.
    | Placeholder of string * Expr list

    override this.Equals(other) =
        match other with
        | :? Expr as e -> Expr.Compare(this, e) = 0
        | _ -> false

    override this.GetHashCode() =
        match this with
        | Number r -> r.GetHashCode()
        | Approx x -> x.GetHashCode()
        | Constant c -> hash c
        | Variable v -> hash v * 31 + 1
        | Parameter(n, v) -> HashCode.Combine(n, v)
        | Sum xs -> List.fold (fun h x -> h * 17 + x.GetHashCode()) 3 xs
        | Product xs -> List.fold (fun h x -> h * 19 + x.GetHashCode()) 5 xs
        | Power(b, e) -> HashCode.Combine(7, b, e)
        | Apply(f, xs) -> List.fold (fun h x -> h * 23 + x.GetHashCode()) (hash f) xs
        | Placeholder(f, xs) -> List.fold (fun h x -> h * 29 + x.GetHashCode()) (hash f + 11) xs

    /// The canonical total order: numbers, constants, parameters, variables, then compound forms; used to sort operands.
    static member Compare(a: Expr, b: Expr) : int =
        // Same-case pairs first, without allocating: long sums sort hundreds of thousands of terms through here.
        match a, b with
        | Variable x, Variable y -> String.CompareOrdinal(x, y)
        | Number x, Number y -> x.CompareTo y
        | Approx x, Approx y -> x.CompareTo y
        | Number x, Approx y -> let c = x.ToFloat().CompareTo y in if c = 0 then -1 else c
        | Approx x, Number y -> let c = x.CompareTo(y.ToFloat()) in if c = 0 then 1 else c
        | Constant x, Constant y -> compare x y
        | Parameter(x, vx), Parameter(y, vy) ->
            let c = String.CompareOrdinal(x, y) in if c <> 0 then c else vx.CompareTo vy
        | Power(b1, e1), Power(b2, e2) ->
            let c = Expr.Compare(b1, b2) in if c <> 0 then c else Expr.Compare(e1, e2)
        | Sum xs, Sum ys
        | Product xs, Product ys -> Expr.CompareLists(xs, ys)
        | Apply(f, xs), Apply(g, ys)
        | Placeholder(f, xs), Placeholder(g, ys) ->
            let c = String.CompareOrdinal(f, g) in if c <> 0 then c else Expr.CompareLists(xs, ys)
        | _ -> compare (Expr.Rank a) (Expr.Rank b)

    static member private Rank(e: Expr) =
        match e with
        | Number _ | Approx _ -> 0
        | Constant _ -> 1
        | Parameter _ -> 2
        | Variable _ -> 3
        | Power _ -> 4
        | Product _ -> 5
        | Sum _ -> 6
        | Apply _ -> 7
        | Placeholder _ -> 8

    static member private CompareLists(xs: Expr list, ys: Expr list) : int =
        match xs, ys with
        | [], [] -> 0
        | [], _ -> -1
        | _, [] -> 1
        | x :: xs', y :: ys' ->
            let c = Expr.Compare(x, y)
            if c <> 0 then c else Expr.CompareLists(xs', ys')

    interface IComparable with
        member this.CompareTo(o) =
            match o with
            | :? Expr as e -> Expr.Compare(this, e)
            | _ -> invalidArg "o" "not an Expr"

    interface IComparable<Expr> with
        member this.CompareTo(e) = Expr.Compare(this, e)

    interface IEquatable<Expr> with
        member this.Equals(e) = Expr.Compare(this, e) = 0

/// Active patterns that make rewrite rules read like the mathematics they implement.
[<AutoOpen>]
module ExprPatterns =
    /// Any number, exact or approximate, as a double.
    let (|Numeric|_|) =
        function
        | Number r -> Some(r.ToFloat())
        | Approx x -> Some x
        | _ -> None

    /// Exactly zero (Number 0 or Approx 0.0).
    let (|Zero|_|) =
        function
        | Number r when r.IsZero -> Some()
        | Approx 0.0 -> Some()
        | _ -> None

    /// Exactly one.
    let (|One|_|) =
        function
        | Number r when r = Rational.One -> Some()
        | Approx 1.0 -> Some()
        | _ -> None

    /// Exactly minus one.
    let (|MinusOne|_|) =
        function
        | Number r when r = -Rational.One -> Some()
        | Approx -1.0 -> Some()
        | _ -> None

    /// An exact integer that fits in an int.
    let (|Integer|_|) =
        function
        | Number(Rational.SmallInteger n) -> Some n
        | _ -> None

    /// An exact positive integer that fits in an int.
    let (|PositiveInteger|_|) =
        function
        | Number(Rational.SmallInteger n) when n > 0 -> Some n
        | _ -> None

    /// A term as numeric coefficient times the rest: `3*x*y` is (3, x*y); `x` is (1, x).
    let (|Term|) =
        function
        | Product((Number _ | Approx _) as c :: [ f ]) -> c, f
        | Product((Number _ | Approx _) as c :: fs) -> c, Product fs
        | e -> Number Rational.One, e

    /// A factor as base ^ exponent: `x^2` is (x, 2); `x` is (x, 1).
    let (|BaseExponent|) =
        function
        | Power(b, e) -> b, e
        | e -> e, Number Rational.One

    /// A term whose numeric coefficient is negative (prints with a minus sign).
    let (|Negative|_|) =
        function
        | Number r when r.Sign < 0 -> Some()
        | Approx x when x < 0.0 -> Some()
        | Product(Number r :: _) when r.Sign < 0 -> Some()
        | Product(Approx x :: _) when x < 0.0 -> Some()
        | _ -> None

/// Smart constructors that keep expressions canonical. Every function returns a canonical expression when given
/// canonical ones.
[<RequireQualifiedAccess>]
module Expr =
    let zero = Number Rational.Zero
    let one = Number Rational.One
    let minusOne = Number(-Rational.One)
    let two = Number(Rational.OfInt 2)

    /// An exact integer.
    let number (n: int) = Number(Rational.OfInt n)
    /// An exact fraction p/q.
    let fraction (p: int) (q: int) = Number(Rational.Create(bigint p, bigint q))
    /// An exact rational.
    let rational (r: Rational) = Number r
    /// An approximate number.
    let approx (x: float) = Approx x
    /// A variable.
    let variable (name: string) = Variable name
    /// A fittable parameter with its starting value.
    let parameter (name: string) (value: float) = Parameter(name, value)
    /// pi.
    let pi = Constant Pi
    /// Euler's number e.
    let e = Constant E

    let private isNumber =
        function
        | Number _ | Approx _ -> true
        | _ -> false

    /// The most decimal digits of the numerator or denominator of an exact number. Longer results of arithmetic become
    /// approximate: exact arithmetic on longer ones costs time and memory without bound. It is also the parser's limit
    /// on integer literals (`Parse.maxIntegerDigits`), so every literal stays exact and every exact number prints as
    /// literals that parse back.
    let maxExactDigits = 10_000

    let private exactBound = System.Numerics.BigInteger.Pow(System.Numerics.BigInteger 10, maxExactDigits)

    let private fitsExact (r: Rational) =
        System.Numerics.BigInteger.Abs r.Numerator < exactBound && r.Denominator < exactBound

    let private exactBits (r: Rational) = r.Numerator.GetBitLength() + r.Denominator.GetBitLength()

    /// `r` exact when it is small enough, else as the nearest double.
    let private exactOrApprox (r: Rational) = if fitsExact r then Number r else Approx(r.ToFloat())

    /// Exact intermediate results of one sum or product may grow to this many bits (ten times the largest exact
    /// number) before the fold goes approximate; the result is rounded once at the end (`exactOrApprox`), so that the
    /// order of the operands does not decide which of them become approximate.
    let private maxIntermediateBits = 10L * int64 (exactBound.GetBitLength())

    let private within (r: Rational) = if exactBits r > maxIntermediateBits then Approx(r.ToFloat()) else Number r

    let private addNumbers a b =
        match a, b with
        | Number x, Number y -> within (x + y)
        | Numeric x, Numeric y -> Approx(x + y)
        | _ -> invalidOp "addNumbers expects numbers"

    let private mulNumbers a b =
        match a, b with
        | Number x, Number y -> within (x * y)
        | Numeric x, Numeric y -> Approx(x * y)
        | _ -> invalidOp "mulNumbers expects numbers"

    /// Folds numbers with `op` from `start`: exact ones first, rounded once, then approximate ones, so that the
    /// result does not depend on the order in which the operands were written.
    let private foldNumbers (op: Expr -> Expr -> Expr) (start: Expr) (numbers: Expr list) =
        let exact, approximate = numbers |> List.partition (function Number _ -> true | _ -> false)
        let exactResult =
            match List.fold op start exact with
            | Number r -> exactOrApprox r
            | other -> other
        List.fold op exactResult approximate

    let private isExactRoot (x: System.Numerics.BigInteger) (q: int) =
        if x.Sign < 0 then None
        else
            let root = System.Math.Round(System.Math.Pow(float x, 1.0 / float q))
            // Beyond the range of a double (x over 1e308) the estimate is infinite: no exact root is found.
            if not (System.Double.IsFinite root) then None
            else
                let r = System.Numerics.BigInteger root
                if System.Numerics.BigInteger.Pow(r, q) = x then Some r else None

    /// x^n when it fits an exact number (`maxExactDigits`), else None: such powers stay symbolic (`(10^999)^4096`).
    /// A size estimate first, so that no hopeless power is computed.
    let private exactPower (x: Rational) (n: int) =
        if exactBits x * int64 (abs n) > maxIntermediateBits then None
        else
            let r = Rational.Pow(x, n)
            if fitsExact r then Some(Number r) else None

    /// Numeric power folded when the result is exact or the inputs are approximate; None to keep it symbolic.
    let private powNumbers b e =
        match b, e with
        | Number x, Integer n when not (x.IsZero && n < 0) && abs n <= 4096 -> exactPower x n
        | Number x, Number p when not p.IsInteger && x.Sign > 0 && abs p.Denominator <= 64I ->
            // (a/b)^(p/q) is exact when a and b are perfect q-th powers.
            let q = int p.Denominator
            match isExactRoot x.Numerator q, isExactRoot x.Denominator q with
            | Some a, Some c ->
                let root = Rational.Create(a, c)
                match p.Numerator with
                | n when System.Numerics.BigInteger.Abs n <= 4096I -> exactPower root (int n)
                | _ -> None
            | _ -> None
        | (Approx _, Numeric y | Number _, Approx y) ->
            match b with
            | Numeric x -> Some(Approx(System.Math.Pow(x, y)))
            | _ -> None
        | _ -> None

    let rec private flattenSum acc =
        function
        | [] -> acc
        | Sum xs :: rest -> flattenSum (flattenSum acc xs) rest
        | x :: rest -> flattenSum (x :: acc) rest

    /// 0^-n for a number n > 0: a division by zero.
    let private isReciprocalOfZero =
        function
        | Power(Zero, Numeric y) -> y < 0.0
        | _ -> false

    let rec private flattenProduct acc =
        function
        | [] -> acc
        | Product xs :: rest -> flattenProduct (flattenProduct acc xs) rest
        | x :: rest -> flattenProduct (x :: acc) rest

    /// The canonical product of the given factors: flattened, numbers folded, equal bases combined (x*x = x^2,
    /// x/x = 1), sorted.
    let rec product (factors: Expr list) : Expr =
        let flat = flattenProduct [] factors
        let numbers, others = flat |> List.partition isNumber
        let coefficient = foldNumbers mulNumbers one numbers
        match coefficient with
        // 0 times 1/0 (as in 0/0) is undefined, like 0 * infinity in floating point: not 0.
        | Zero when others |> List.exists isReciprocalOfZero -> Approx nan
        | Number r when r.IsZero -> zero
        | _ ->
            let grouped =
                others
                |> List.map (fun (BaseExponent(b, e)) -> b, e)
                |> List.groupBy fst
                |> List.map (fun (b, es) -> power b (sum (List.map snd es)))
            // Combining bases can produce numbers or products (2^(1/2)*2^(1/2) = 2); fold those in once more.
            if grouped |> List.exists (fun f -> isNumber f || (match f with Product _ -> true | _ -> false)) then
                let again = flattenProduct [] grouped
                let ns, rest = again |> List.partition isNumber
                let c = foldNumbers mulNumbers coefficient ns
                assemble c (rest |> List.map (fun (BaseExponent(b, e)) -> b, e) |> List.groupBy fst
                            |> List.map (fun (b, es) -> match es with [ (_, e) ] -> power b e | _ -> power b (sum (List.map snd es))))
            else assemble coefficient grouped

    and private assemble coefficient factors =
        let factors = factors |> List.filter (function One -> false | _ -> true) |> List.sort
        match coefficient, factors with
        | Zero, _ -> coefficient
        | _, [] -> coefficient
        | One, [ f ] -> f
        | One, fs -> Product fs
        | c, fs -> Product(c :: fs)

    /// c * rest for a number c other than 0 and a canonical term without a coefficient, as `product` would build it
    /// but without re-canonicalising `rest` (a long sum calls this once per term).
    and private withCoefficient (c: Expr) (rest: Expr) =
        match c, rest with
        | One, _ -> rest
        | _, Product fs -> Product(c :: fs)
        | _ -> Product [ c; rest ]

    /// The canonical sum of the given terms: flattened, numbers folded, like terms collected (x + x = 2*x,
    /// x - x = 0), sorted.
    and sum (terms: Expr list) : Expr =
        let flat = flattenSum [] terms
        let numbers, others = flat |> List.partition isNumber
        let constant = foldNumbers addNumbers zero numbers
        let collected =
            others
            |> List.map (fun (Term(c, rest)) -> rest, c)
            |> List.groupBy fst
            |> List.choose (fun (rest, cs) ->
                match foldNumbers addNumbers zero (List.map snd cs) with
                | Zero -> None
                | c -> Some(rest, c))
            // The rests are distinct after grouping, so they alone decide the order.
            |> List.sortWith (fun (r1, _) (r2, _) -> Expr.Compare(r1, r2))
            |> List.map (fun (rest, c) -> withCoefficient c rest)
        match constant, collected with
        | _, [] -> constant
        | Zero, [ t ] -> t
        | Zero, ts -> Sum ts
        | c, ts -> Sum(c :: ts)

    /// base ^ exponent in canonical form: x^0 = 1, x^1 = x, exact numeric powers folded, (x^a)^n = x^(a*n) and
    /// (x*y)^n = x^n * y^n for integer n.
    and power (b: Expr) (e: Expr) : Expr =
        match b, e with
        | _, Zero -> one
        | _, One -> b
        // x^-1.0 is x^-1, as x^1.0 is x: the printed 1/x reads back the same.
        | _, Approx -1.0 when (match b with Number _ | Approx _ -> false | _ -> true) -> power b minusOne
        | One, _ -> one
        | Zero, Numeric y when y > 0.0 -> b
        | (Number _ | Approx _), (Number _ | Approx _) ->
            match powNumbers b e with
            | Some r -> r
            | None -> Power(b, e)
        | Power(inner, e1), Integer _ -> power inner (product [ e1; e ])
        | Product fs, Integer _ -> product (fs |> List.map (fun f -> power f e))
        | _ -> Power(b, e)

    /// a + b.
    let add a b = sum [ a; b ]
    /// a * b.
    let multiply a b = product [ a; b ]
    /// -a.
    let negate a = product [ minusOne; a ]
    /// a - b.
    let subtract a b = sum [ a; negate b ]
    /// a / b.
    let divide a b = product [ a; power b minusOne ]
    /// 1 / a.
    let invert a = power a minusOne
    /// a ^ n for an integer n.
    let powerInt a (n: int) = power a (number n)
    /// square root as a^(1/2).
    let sqrt a = power a (fraction 1 2)
    /// A registered operator (by name) applied to arguments; see `Operators`.
    let apply (name: string) (args: Expr list) = Apply(name, args)
    /// An unknown function to be discovered, e.g. h1(x, y).
    let placeholder (name: string) (args: Expr list) = Placeholder(name, args)

    /// The direct sub-expressions.
    let children =
        function
        | Number _ | Approx _ | Constant _ | Variable _ | Parameter _ -> []
        | Sum xs | Product xs | Apply(_, xs) | Placeholder(_, xs) -> xs
        | Power(b, e) -> [ b; e ]

    /// Every sub-expression, the expression itself first (pre-order).
    let rec subexpressions (e: Expr) : Expr seq =
        seq {
            yield e
            for c in children e do
                yield! subexpressions c
        }

    /// Names of the variables that occur, sorted.
    let variables (e: Expr) =
        subexpressions e |> Seq.choose (function Variable v -> Some v | _ -> None) |> Seq.distinct |> Seq.sort |> List.ofSeq

    /// Names and values of the parameters that occur, sorted by name.
    let parameters (e: Expr) =
        subexpressions e |> Seq.choose (function Parameter(n, v) -> Some(n, v) | _ -> None) |> Seq.distinctBy fst
        |> Seq.sortBy fst |> List.ofSeq

    /// Number of nodes of the canonical tree (each leaf and each operator application counts one).
    let rec size (e: Expr) = 1 + (children e |> List.sumBy size)

    /// Rebuilds an expression bottom-up through the smart constructors after mapping every leaf.
    let rec mapLeaves (f: Expr -> Expr) (e: Expr) : Expr =
        match e with
        | Number _ | Approx _ | Constant _ | Variable _ | Parameter _ -> f e
        | Sum xs -> sum (List.map (mapLeaves f) xs)
        | Product xs -> product (List.map (mapLeaves f) xs)
        | Power(b, x) -> power (mapLeaves f b) (mapLeaves f x)
        | Apply(n, xs) -> Apply(n, List.map (mapLeaves f) xs)
        | Placeholder(n, xs) -> Placeholder(n, List.map (mapLeaves f) xs)

    /// Replaces every occurrence of a variable by an expression.
    let substitute (name: string) (value: Expr) (e: Expr) =
        mapLeaves (function Variable v when v = name -> value | leaf -> leaf) e

    /// Replaces parameters by their current values as approximate numbers.
    let bindParameters (e: Expr) = mapLeaves (function Parameter(_, v) -> Approx v | leaf -> leaf) e

/// Operators on expressions, usable from F# (`x + y * x`) and C# (`x + y * x`).
type Expr with
    static member (+)(a: Expr, b: Expr) = Expr.add a b
    static member (-)(a: Expr, b: Expr) = Expr.subtract a b
    static member (*)(a: Expr, b: Expr) = Expr.multiply a b
    static member (/)(a: Expr, b: Expr) = Expr.divide a b
    static member (~-)(a: Expr) = Expr.negate a
    static member Pow(a: Expr, b: Expr) = Expr.power a b
    static member (+)(a: Expr, b: int) = Expr.add a (Expr.number b)
    static member (+)(a: int, b: Expr) = Expr.add (Expr.number a) b
    static member (-)(a: Expr, b: int) = Expr.subtract a (Expr.number b)
    static member (-)(a: int, b: Expr) = Expr.subtract (Expr.number a) b
    static member (*)(a: Expr, b: int) = Expr.multiply a (Expr.number b)
    static member (*)(a: int, b: Expr) = Expr.multiply (Expr.number a) b
    static member (/)(a: Expr, b: int) = Expr.divide a (Expr.number b)
    static member (/)(a: int, b: Expr) = Expr.divide (Expr.number a) b
    static member Pow(a: Expr, n: int) = Expr.powerInt a n
    static member op_Implicit(n: int) : Expr = Expr.number n
    static member op_Implicit(x: float) : Expr = Expr.approx x
