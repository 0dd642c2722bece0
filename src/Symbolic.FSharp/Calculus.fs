namespace Symbolic

open System

/// Symbolic differentiation.
///
/// Unknown functions (placeholders) follow the chain rule with their partial derivatives as new placeholders: the
/// partial of `h(a1, ..., an)` with respect to its i-th argument (1-based) is the placeholder `Di_h(a1, ..., an)`
/// (`D1_h(x, y)`); repeated partials list their argument positions in ascending order, `D1_2_h`, so mixed partials
/// commute. These names are ordinary identifiers, so printed derivatives parse back.
[<RequireQualifiedAccess>]
module Calculus =
    /// The argument positions and the function of a partial-derivative placeholder name: `D1_2_h` is
    /// Some([1; 2], "h"); None for any other name.
    let tryParsePartialName (name: string) : (int list * string) option =
        // D, then 1-based positions separated by '_', then '_' and the function's name (which cannot start with a digit).
        let rec positions (i: int) (acc: int list) =
            let j = Seq.initInfinite (fun k -> i + k) |> Seq.find (fun k -> k >= name.Length || not (Char.IsDigit name[k]))
            if j = i || j >= name.Length || name[j] <> '_' then None
            else
                match Int32.TryParse(name.AsSpan(i, j - i)) with
                | true, p when p >= 1 ->
                    let acc = p :: acc
                    if j + 1 < name.Length && Char.IsDigit name[j + 1] then positions (j + 1) acc
                    elif j + 1 < name.Length then Some(List.rev acc, name.Substring(j + 1))
                    else None
                | _ -> None
        if name.Length > 3 && name[0] = 'D' && Char.IsDigit name[1] then positions 1 [] else None

    /// The name of the placeholder for the partial derivative of the placeholder `name` with respect to its argument
    /// at 1-based position `position`: `h` and 2 give `D2_h`, `D1_h` and 2 give `D1_2_h` (positions ascending, so
    /// mixed partials commute). Such names parse back as placeholders.
    let partialName (name: string) (position: int) : string =
        let indices, inner = defaultArg (tryParsePartialName name) ([], name)
        let all = position :: indices |> List.sort
        sprintf "D%s_%s" (String.Join("_", all)) inner

    /// The highest order `tryNthDerivative` computes.
    let maxOrder = 16

    /// The most nodes (`Expr.size`) a derivative may have, before or after simplification: repeated derivatives grow
    /// geometrically (`tan(tan(tan(x)))`) and towers quadratically, so without a budget the work has no bound.
    let maxSize = 10_000

    /// Raised inside the budgeted derivative when the result would exceed `maxSize`; caught by the `try` functions.
    exception private TooLarge

    /// Whether `e` has more than `budget` nodes, counting only as far as needed (no recursion: any depth is safe).
    let exceedsSize (budget: int) (e: Expr) : bool =
        let pending = System.Collections.Generic.Stack<Expr>()
        pending.Push e
        let mutable count = 0
        while count <= budget && pending.Count > 0 do
            count <- count + 1
            for c in Expr.children (pending.Pop()) do
                pending.Push c
        count > budget

    /// The derivative before simplification; with a finite `budget`, raises TooLarge before building a product-rule or
    /// chain-rule expansion that would exceed it.
    let rec private raw (budget: int) (name: string) (e: Expr) : Expr =
        let d = raw budget name
        let guard (estimate: int64) = if estimate > int64 budget then raise TooLarge
        match e with
        | Number _ | Approx _ | Constant _ -> Expr.zero
        | Variable v -> if v = name then Expr.one else Expr.zero
        | Parameter(n, _) -> if n = name then Expr.one else Expr.zero
        | _ when not (Structure.dependsOn name e) -> Expr.zero
        | Sum ts -> Expr.sum (List.map d ts)
        | Product fs ->
            // One copy of the other factors per dependent factor: quadratic in the length of the product.
            guard (int64 (fs |> List.filter (Structure.dependsOn name) |> List.length) * int64 fs.Length)
            fs
            |> List.indexed
            |> List.map (fun (i, f) ->
                match d f with
                | Zero -> Expr.zero
                | df -> Expr.product (df :: List.removeAt i fs))
            |> Expr.sum
        | Power(b, x) when not (Structure.dependsOn name x) ->
            Expr.product [ x; Expr.power b (Expr.subtract x Expr.one); d b ]
        | Power(b, x) ->
            // d(b^x) = b^x * (x' log b + x b'/b)
            Expr.multiply e (Expr.add (Expr.multiply (d x) (Apply("log", [ b ]))) (Expr.product [ x; d b; Expr.invert b ]))
        | Apply(op, args) ->
            let partials = (Operators.find op).Partials args
            List.zip partials args
            |> List.map (fun (p, a) ->
                match d a with
                | Zero -> Expr.zero
                | da -> Expr.multiply p da)
            |> Expr.sum
        | Placeholder(h, args) ->
            args
            |> List.indexed
            |> List.map (fun (i, a) ->
                match d a with
                | Zero -> Expr.zero
                | da -> Expr.multiply (Placeholder(partialName h (i + 1), args)) da)
            |> Expr.sum

    /// The derivative of `e` with respect to the variable or parameter `name`, before simplification.
    let derivativeRaw (name: string) (e: Expr) : Expr = raw Int32.MaxValue name e

    /// The simplified derivative of `e` with respect to the variable or parameter `name` (chain rule through each
    /// operator's `Partials` in the operator table). Throws KeyNotFoundException for an unregistered operator.
    let derivative (name: string) (e: Expr) : Expr = Simplify.simplify (derivativeRaw name (Simplify.simplify e))

    /// Whether `name` can be differentiated by: a plain name as the parser reads one (`x`, `k_2`), not an expression.
    let private isPlainName (name: string) =
        not (String.IsNullOrEmpty name)
        && (Char.IsLetter name[0] || name[0] = '_')
        && name |> Seq.forall (fun c -> Char.IsLetterOrDigit c || c = '_')

    /// One simplified derivative within the size budget.
    let private boundedStep (name: string) (e: Expr) : Result<Expr, string> =
        let tooLarge () = Result.Error(sprintf "expected a derivative of at most %d nodes; this one is larger" maxSize)
        try
            let rawResult = raw maxSize name e
            if exceedsSize maxSize rawResult then tooLarge ()
            else
                let simplified = Simplify.simplify rawResult
                if exceedsSize maxSize simplified then tooLarge () else Result.Ok simplified
        with TooLarge -> tooLarge ()

    /// The `order`-th derivative of `e` with respect to the variable or parameter `name`, simplified, or why it was
    /// refused: `name` must be a plain name, `order` between 0 and `maxOrder`, and every intermediate derivative at
    /// most `maxSize` nodes.
    let tryNthDerivative (name: string) (order: int) (e: Expr) : Result<Expr, string> =
        if not (isPlainName name) then
            Result.Error(sprintf "expected a variable name (letters, digits and '_'), found '%s'" (Parse.excerpt name))
        elif order < 0 || order > maxOrder then
            Result.Error(sprintf "expected a derivative order between 0 and %d, found %d" maxOrder order)
        else
            let rec loop (remaining: int) (acc: Expr) =
                if remaining = 0 then Result.Ok acc
                else Result.bind (loop (remaining - 1)) (boundedStep name acc)
            loop order (Simplify.simplify e)

    /// The `order`-th derivative (0 <= order <= `maxOrder`) of `e` with respect to `name`, simplified; throws
    /// ArgumentException with the reason where `tryNthDerivative` refuses.
    let nthDerivative (name: string) (order: int) (e: Expr) : Expr =
        match tryNthDerivative name order e with
        | Result.Ok d -> d
        | Result.Error reason -> raise (ArgumentException reason)

    /// The simplified partial derivatives of `e` with respect to each of its variables, in name order.
    let gradient (e: Expr) : (string * Expr) list =
        Expr.variables e |> List.map (fun v -> v, derivative v e)
