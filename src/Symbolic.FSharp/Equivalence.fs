namespace Symbolic

open System
open System.Collections.Concurrent
open System.Collections.Generic
open System.Numerics

type Witness =
    { Point: (string * float) list
      Left: float
      Right: float }

type EquivalenceResult =
    | Identical
    | NumericallyEqual of points: int * maxRelativeError: float
    | Different of witness: Witness
    | Undecided of reason: string

type EquivalenceOptions =
    { Seed: int
      Points: int
      MaxAttempts: int
      MinimumPoints: int
      RelativeTolerance: float }

    static member Default =
        { Seed = 20240611
          Points = 200
          MaxAttempts = 4000
          MinimumPoints = 20
          RelativeTolerance = 1e-9 }

[<RequireQualifiedAccess>]
module Equivalence =
    // ---- Evaluation with a first-order estimate of the rounding error -------------------------------------------------

    /// Partial derivatives of each operator as expressions in placeholder variables, built once per operator.
    let private partialsCache = ConcurrentDictionary<string, Expr list * string list>(StringComparer.Ordinal)

    let private partialsOf (op: Operator) =
        partialsCache.GetOrAdd(
            op.Name,
            fun _ ->
                let names = [ for i in 0 .. op.Arity - 1 -> sprintf "\u0001arg%d" i ]
                op.Partials(names |> List.map Variable), names)

    let private exactlyRepresentable (r: Rational) =
        r.IsInteger && BigInteger.Abs r.Numerator <= BigInteger(9007199254740992L)

    let private epsilon = Math.Pow(2.0, -52.0)

    /// How much `g` can change (in units of epsilon) when its argument `v` is uncertain by `error` units of epsilon:
    /// the larger of |slope| times the uncertainty and the actual change of `g` at both ends of the interval (and at 0
    /// when the interval contains it, where powers and logs have their singularities); infinite when `g` is not finite
    /// somewhere there or `poleInside` says a pole lies in the interval.
    let private sensitivity (g: float -> float) (poleInside: float -> float -> bool) (v: float) (error: float)
                            (slope: float) (gv: float) =
        if error = 0.0 then 0.0
        elif not (Double.IsFinite error) then Double.PositiveInfinity
        else
            let delta = error * epsilon
            let lo, hi = v - delta, v + delta
            if poleInside lo hi then Double.PositiveInfinity
            else
                let ends = if lo < 0.0 && 0.0 < hi then [ lo; hi; 0.0 ] else [ lo; hi ]
                let changes = ends |> List.map (fun s -> abs (g s - gv))
                let largest = List.fold max (abs slope * delta) changes
                if Double.IsFinite largest && not (changes |> List.exists Double.IsNaN) then largest / epsilon
                else Double.PositiveInfinity

    let private noPole (_: float) (_: float) = false

    /// tan has a pole between lo and hi when cos changes sign there.
    let private tanPole (lo: float) (hi: float) = Math.Sign(Math.Cos lo) <> Math.Sign(Math.Cos hi)

    /// A value with its error, the error made infinite when the value itself is not finite (a singular point).
    let private guarded (v: float) (error: float) =
        if Double.IsFinite v && not (Double.IsNaN error) then v, error else v, Double.PositiveInfinity

    /// The value of `e` and an estimate of its absolute rounding error in units of machine epsilon: each operation
    /// adds its own |result| plus how much it can change over the uncertainty of each argument.
    let rec private evaluate (env: IReadOnlyDictionary<string, float>) (e: Expr) : float * float =
        match e with
        | Variable _ | Parameter _ | Approx _ -> guarded (Evaluate.at env e) 0.0
        | Number r -> let v = r.ToFloat() in guarded v (if exactlyRepresentable r then 0.0 else abs v)
        | Constant _ -> let v = Evaluate.at env e in v, abs v
        | Sum xs ->
            let parts = xs |> List.map (evaluate env)
            let v = parts |> List.sumBy fst
            guarded v (abs v + (parts |> List.sumBy snd))
        | Product xs ->
            let parts = xs |> List.map (evaluate env) |> Array.ofList
            let v = parts |> Array.fold (fun acc (x, _) -> acc * x) 1.0
            let mutable error = abs v
            for i in 0 .. parts.Length - 1 do
                let _, ei = parts[i]
                if ei > 0.0 then
                    let mutable others = 1.0
                    for j in 0 .. parts.Length - 1 do
                        if j <> i then others <- others * abs (fst parts[j])
                    error <- error + ei * others
            guarded v error
        | Power(b, x) ->
            let vb, eb = evaluate env b
            let vx, ex = evaluate env x
            let pow (b: float) (x: float) =
                match x with
                | _ when x = Math.Round x && abs x <= 1024.0 -> pown b (int x)
                | _ -> Math.Pow(b, x)
            let v = pow vb vx
            let fromBase = sensitivity (fun s -> pow s vx) noPole vb eb (vx * Math.Pow(vb, vx - 1.0)) v
            let fromExponent = sensitivity (fun s -> Math.Pow(vb, s)) noPole vx ex (v * Math.Log(abs vb)) v
            guarded v (abs v + fromBase + fromExponent)
        | Apply(name, args) ->
            let op = Operators.find name
            let parts = args |> List.map (evaluate env)
            let values = parts |> List.map fst
            let partials, names = partialsOf op
            let at = List.zip names values
            let slopes = partials |> List.map (fun p -> Evaluate.withValues at p)
            match op.Scalar, parts, slopes with
            | ScalarFunction.Unary f, [ (va, ea) ], [ slope ] ->
                let v = f va
                let pole = if op.Name = "tan" then tanPole else noPole
                guarded v (abs v + sensitivity f pole va ea slope v)
            | ScalarFunction.Binary f, [ (va, ea); (vb, eb) ], [ sa; sb ] ->
                let v = f va vb
                guarded v (abs v + sensitivity (fun s -> f s vb) noPole va ea sa v + sensitivity (fun s -> f va s) noPole vb eb sb v)
            | _ -> invalidArg "e" (sprintf "%s applied to %d arguments" name args.Length)
        | Placeholder(name, _) -> raise (KeyNotFoundException(sprintf "'%s' is an unknown function" name))

    // ---- Random points ---------------------------------------------------------------------------------------------

    let private ranges : (Random -> float)[] =
        let uniform lo hi = fun (r: Random) -> lo + (hi - lo) * r.NextDouble()
        [| uniform 0.1 4.0
           uniform -4.0 4.0
           uniform -1.0 1.0
           (fun r -> Math.Pow(10.0, -2.0 + 4.0 * r.NextDouble()))
           uniform 0.5 1.5
           uniform -100.0 100.0 |]

    let private symbolsOf (es: Expr list) =
        es
        |> List.collect (fun e -> Expr.variables e @ (Expr.parameters e |> List.map fst))
        |> List.distinct
        |> List.sort

    /// Random points (as name/value arrays and dictionaries), reproducible from the seed.
    let private points (options: EquivalenceOptions) (names: string list) =
        let random = Random(options.Seed)
        let names = Array.ofList names
        Seq.init options.MaxAttempts (fun i ->
            let draw = ranges[i % ranges.Length]
            let values = names |> Array.map (fun _ -> draw random)
            let pairs = Array.zip names values
            pairs, (dict pairs |> Dictionary :> IReadOnlyDictionary<_, _>))

    let private isFinite (v: float, e: float) = Double.IsFinite v && Double.IsFinite e

    /// The values of `a` and `b` at random points where both are defined, at most `options.Points` of them.
    let private samples (options: EquivalenceOptions) (a: Expr) (b: Expr) =
        let names = symbolsOf [ a; b ]
        let attempts = if names.IsEmpty then 1 else options.MaxAttempts
        points options names
        |> Seq.truncate attempts
        |> Seq.choose (fun (pairs, env) ->
            let ra = evaluate env a
            let rb = evaluate env b
            if isFinite ra && isFinite rb then Some(List.ofArray pairs, ra, rb) else None)
        |> Seq.truncate options.Points
        |> List.ofSeq,
        names.IsEmpty

    let private tooFew (options: EquivalenceOptions) (count: int) (closed: bool) =
        if count = 0 then Some(Undecided "no point was found where both sides are defined and well conditioned")
        elif count < options.MinimumPoints && not closed then
            Some(Undecided(sprintf "only %d points were found where both sides are defined and well conditioned" count))
        else None

    /// A point whose two evaluations both carry at least six reliable digits; only such points count for a verdict
    /// of equality (elsewhere the allowed difference is so wide that agreement says little).
    let private informative (va: float, ea: float) (vb: float, eb: float) =
        (ea + eb) * epsilon <= 1e-6 * max (abs va) (abs vb)

    let private numericTest (options: EquivalenceOptions) (a: Expr) (b: Expr) =
        let found, closed = samples options a b
        let failure =
            found
            |> List.tryFind (fun (_, (va, ea), (vb, eb)) -> abs (va - vb) > options.RelativeTolerance * (ea + eb))
        match failure with
        | Some(point, (va, _), (vb, _)) -> Different { Point = point; Left = va; Right = vb }
        | None ->
            let useful = found |> List.filter (fun (_, ra, rb) -> informative ra rb)
            match tooFew options useful.Length closed with
            | Some undecided -> undecided
            | None ->
                let relative (va: float) (vb: float) =
                    let scale = max (abs va) (abs vb)
                    if scale = 0.0 then 0.0 else abs (va - vb) / scale
                let worst = useful |> List.map (fun (_, (va, _), (vb, _)) -> relative va vb) |> List.max
                NumericallyEqual(useful.Length, worst)

    let valueWithError (values: IReadOnlyDictionary<string, float>) (e: Expr) = evaluate values e

    // ---- Public ----------------------------------------------------------------------------------------------------

    /// A random smooth function of `arity` arguments, as an expression in private argument names:
    /// sum of a_i*sin(b_i*u_i + c_i) plus d*exp(sum of e_i*u_i), so that every partial derivative, mixed ones too, is
    /// non-trivial.
    let private randomFunction (random: Random) (arity: int) =
        let names = [ for i in 0 .. arity - 1 -> sprintf "\u0001u%d" i ]
        let draw lo hi = Approx(lo + (hi - lo) * random.NextDouble())
        let u = names |> List.map Variable
        let waves = u |> List.map (fun ui -> draw 0.5 1.5 * Apply("sin", [ draw 0.5 1.5 * ui + draw 0.0 3.0 ]))
        let coupling = draw 0.5 1.5 * Apply("exp", [ Expr.sum (u |> List.map (fun ui -> draw -0.4 0.4 * ui)) ])
        Expr.sum (coupling :: waves), names

    /// The function name and arity of each placeholder (partial-derivative placeholders count as their function).
    let private unknownFunctions (es: Expr list) =
        es
        |> Seq.collect Expr.subexpressions
        |> Seq.choose (function
            | Placeholder(name, args) ->
                let baseName = Calculus.tryParsePartialName name |> Option.map snd |> Option.defaultValue name
                Some(baseName, args.Length)
            | _ -> None)
        |> Seq.distinct
        |> Seq.sort
        |> List.ofSeq

    /// `e` with every placeholder replaced by its drawn function (and `Di_j_h` by that function's partial
    /// derivative) applied to the placeholder's arguments.
    let private instantiate (functions: Map<string * int, Expr * string list>) (e: Expr) =
        e
        |> Structure.bottomUp (function
            | Placeholder(name, args) ->
                let positions, baseName = Calculus.tryParsePartialName name |> Option.defaultValue ([], name)
                let body, names = functions[baseName, args.Length]
                let derived =
                    positions
                    |> List.fold (fun acc i -> if i <= names.Length then Calculus.derivativeRaw names[i - 1] acc else Expr.zero) body
                List.zip names args |> List.fold (fun acc (n, a) -> Expr.substitute n a acc) derived
            | other -> other)

    /// The numeric test with the unknown functions replaced by random smooth functions, for two independent draws:
    /// different for one draw means different as functionals; equal for both is reported as numeric equality.
    let private numericTestWithUnknowns (options: EquivalenceOptions) (a: Expr) (b: Expr) =
        let unknowns = unknownFunctions [ a; b ]
        let verdict (draw: int) =
            let random = Random(options.Seed + 7919 * (draw + 1))
            let functions = unknowns |> List.map (fun (name, arity) -> (name, arity), randomFunction random arity) |> Map.ofList
            numericTest options (instantiate functions a) (instantiate functions b)
        match verdict 0 with
        | NumericallyEqual(n0, e0) ->
            match verdict 1 with
            | NumericallyEqual(n1, e1) -> NumericallyEqual(min n0 n1, max e0 e1)
            | other -> other
        | other -> other

    let equivalentWith (options: EquivalenceOptions) (a: Expr) (b: Expr) : EquivalenceResult =
        let sa = Simplify.simplify a
        let sb = Simplify.simplify b
        if sa = sb then Identical
        else
            match Simplify.expand (Expr.subtract sa sb) with
            | Zero -> Identical
            | _ when Structure.hasPlaceholder sa || Structure.hasPlaceholder sb -> numericTestWithUnknowns options sa sb
            | _ -> numericTest options sa sb

    let equivalent (a: Expr) (b: Expr) : EquivalenceResult = equivalentWith EquivalenceOptions.Default a b

    let areEquivalent (a: Expr) (b: Expr) : bool =
        match equivalent a b with
        | Identical
        | NumericallyEqual _ -> true
        | Different _
        | Undecided _ -> false

    let describe (result: EquivalenceResult) : string =
        let number (v: float) = v.ToString("R", Globalization.CultureInfo.InvariantCulture)
        match result with
        | Identical -> "identical canonical forms"
        | NumericallyEqual(points, worst) ->
            sprintf "numerically equal at %d random points (largest relative difference %s)" points
                (worst.ToString("0.0e+0", Globalization.CultureInfo.InvariantCulture))
        | Different w ->
            let point = w.Point |> List.map (fun (n, v) -> sprintf "%s = %s" n (number v)) |> String.concat ", "
            let where = if point = "" then "" else sprintf "at %s, " point
            sprintf "different: %s%s versus %s" where (number w.Left) (number w.Right)
        | Undecided reason -> "undecided: " + reason

    let private roundToDecimals (digits: int) (v: float) : Expr =
        if not (Double.IsFinite v) then Approx v
        else
            let rounded = Math.Round(v, digits, MidpointRounding.ToEven)
            if abs rounded >= 1e15 then
                match Rational.tryOfFloat rounded with
                | Some r -> Number r
                | None -> Approx rounded
            else
                let scale = BigInteger.Pow(BigInteger 10, digits)
                let numerator = BigInteger(Math.Round(rounded * Math.Pow(10.0, float digits)))
                Number(Rational.Create(numerator, scale))

    let roundConstants (digits: int) (e: Expr) : Expr =
        if digits < 0 || digits > 15 then invalidArg "digits" "digits must be between 0 and 15"
        e
        |> Expr.mapLeaves (function
            | Approx v
            | Parameter(_, v) -> roundToDecimals digits v
            | leaf -> leaf)

    /// Whether one constant c is consistent with every sampled (value, tolerance) pair, i.e. all the intervals
    /// [value - tolerance, value + tolerance] overlap.
    let private constantTest (options: EquivalenceOptions) (combine: float * float -> float * float -> (float * float) option)
                             (requireNonZero: bool) (a: Expr) (b: Expr) =
        if Structure.hasPlaceholder a || Structure.hasPlaceholder b then
            Undecided "unknown functions cannot be evaluated"
        else
            let found, closed = samples options a b
            let values =
                found |> List.choose (fun (point, ra, rb) -> combine ra rb |> Option.map (fun (d, t) -> point, d, t))
            match tooFew options values.Length closed with
            | Some undecided -> undecided
            | None ->
                let lowPoint, lowValue, lowTolerance = values |> List.maxBy (fun (_, d, t) -> d - t)
                let _, highValue, highTolerance = values |> List.minBy (fun (_, d, t) -> d + t)
                let lo = lowValue - lowTolerance
                let hi = highValue + highTolerance
                if lo > hi then Different { Point = lowPoint; Left = lowValue; Right = highValue }
                else
                    let c = (lo + hi) / 2.0
                    if requireNonZero && lo <= 0.0 && 0.0 <= hi then
                        Different { Point = lowPoint; Left = lowValue; Right = 0.0 }
                    else
                        let worst =
                            values
                            |> List.map (fun (_, d, t) -> if t = 0.0 then 0.0 else abs (d - c) * options.RelativeTolerance / t)
                            |> List.max
                        NumericallyEqual(values.Length, worst)

    let differenceIsConstant (a: Expr) (b: Expr) : EquivalenceResult =
        let difference = Expr.subtract a b
        if Structure.isClosed (Simplify.simplify difference) || Structure.isClosed (Simplify.expand difference) then
            Identical
        else
            let options = EquivalenceOptions.Default
            constantTest options
                (fun (va, ea) (vb, eb) -> Some(va - vb, options.RelativeTolerance * (ea + eb + abs (va - vb))))
                false a b

    let ratioIsConstant (a: Expr) (b: Expr) : EquivalenceResult =
        let ratio = Simplify.simplify (Expr.divide a b)
        match Structure.valueOf ratio with
        | Some v when Double.IsFinite v && v <> 0.0 -> Identical
        | Some 0.0 -> Different { Point = []; Left = 0.0; Right = 0.0 }
        | _ ->
            let options = EquivalenceOptions.Default
            constantTest options
                (fun (va, ea) (vb, eb) ->
                    if vb = 0.0 then None
                    else
                        let r = va / vb
                        Some(r, options.RelativeTolerance * ((ea + abs r * eb) / abs vb + abs r)))
                true a b

    let isSymbolicSolution (truth: Expr) (model: Expr) : bool =
        let t = roundConstants 3 truth
        let m = roundConstants 3 model
        let holds =
            function
            | Identical
            | NumericallyEqual _ -> true
            | Different _
            | Undecided _ -> false
        holds (differenceIsConstant t m) || holds (ratioIsConstant m t)
