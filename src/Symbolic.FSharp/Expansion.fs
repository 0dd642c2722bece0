namespace Symbolic

/// Algebraic expansion (products and whole powers of sums multiplied out) and collection of terms in one variable.
[<RequireQualifiedAccess>]
module Expansion =
    /// The most terms one multiplication may produce; a product or power that would give more is left unexpanded.
    let maxTerms = 5000

    let private termsOf (e: Expr) =
        match e with
        | Sum ts -> ts
        | _ -> [ e ]

    /// The product of the factors as a sum of products (terms collected after each factor); None past `maxTerms`.
    let private multiplyOut (factors: Expr list) : Expr option =
        let step (acc: Expr list option) (f: Expr) =
            match acc with
            | None -> None
            | Some terms ->
                let others = termsOf f
                if int64 terms.Length * int64 others.Length > int64 maxTerms then None
                else Some(termsOf (Expr.sum [ for a in terms do for b in others -> Expr.multiply a b ]))
        factors |> List.fold step (Some [ Expr.one ]) |> Option.map Expr.sum

    let private isSum =
        function
        | Sum _ -> true
        | _ -> false

    /// `e` with every product of sums and every whole power of a sum multiplied out, inside function arguments too;
    /// a negative whole power of a sum becomes the reciprocal of the expanded positive power. Other forms (exp of a
    /// sum, logs, fractional powers) are kept.
    let rec expand (e: Expr) : Expr =
        match e with
        | Number _ | Approx _ | Constant _ | Variable _ | Parameter _ -> e
        | Sum ts -> Expr.sum (List.map expand ts)
        | Product fs ->
            let fs = List.map expand fs
            if List.exists isSum fs then defaultArg (multiplyOut fs) (Expr.product fs) else Expr.product fs
        | Power(b, Integer n) when n > 1 ->
            let b = expand b
            if isSum b then defaultArg (multiplyOut (List.replicate n b)) (Expr.powerInt b n) else Expr.powerInt b n
        | Power(b, Integer n) when n < -1 -> Expr.invert (expand (Expr.powerInt b -n))
        | Power(b, x) -> Expr.power (expand b) (expand x)
        | Apply(name, args) -> Apply(name, List.map expand args)
        | Placeholder(name, args) -> Placeholder(name, List.map expand args)

    /// The expanded `e` with its terms grouped by the factors that depend on `name`: `a*x^2 + b*x^2 + c*x + d` is
    /// `(a + b)*x^2 + c*x + d`. Terms free of `name` stay as they are.
    let collect (name: string) (e: Expr) : Expr =
        match expand e with
        | Sum ts ->
            ts
            |> List.map (fun (CoefficientFactors(c, fs)) ->
                let dependent, free = fs |> List.partition (Structure.dependsOn name)
                Expr.product dependent, Expr.product (c :: free))
            |> List.groupBy fst
            |> List.map (fun (key, group) -> Expr.product [ Expr.sum (List.map snd group); key ])
            |> Expr.sum
        | other -> other
