namespace Symbolic.Search

open Symbolic

/// A candidate as the search manipulates it: a binary tree of operator-table indices, variables by column index and
/// numeric constants. Immutable: mutations rebuild the path they change and share the rest.
type Tree =
    | Const of float
    | Var of int
    | Unary of op: int * arg: Tree
    | Binary of op: int * left: Tree * right: Tree

/// The per-node costs that define complexity (node count by default).
type Costs =
    { /// Cost of each operator, indexed by operator-table index.
      Operator: int[]
      Constant: int
      Variable: int }

exception private UnsupportedInTree of string

[<RequireQualifiedAccess>]
module Tree =
    /// Number of nodes.
    let rec size (t: Tree) =
        match t with
        | Const _ | Var _ -> 1
        | Unary(_, a) -> 1 + size a
        | Binary(_, a, b) -> 1 + size a + size b

    /// Longest root-to-leaf path, counting nodes.
    let rec depth (t: Tree) =
        match t with
        | Const _ | Var _ -> 1
        | Unary(_, a) -> 1 + depth a
        | Binary(_, a, b) -> 1 + max (depth a) (depth b)

    /// Complexity under the given costs.
    let rec complexity (costs: Costs) (t: Tree) =
        match t with
        | Const _ -> costs.Constant
        | Var _ -> costs.Variable
        | Unary(op, a) -> costs.Operator[op] + complexity costs a
        | Binary(op, a, b) -> costs.Operator[op] + complexity costs a + complexity costs b

    /// Number of constants.
    let rec constantCount (t: Tree) =
        match t with
        | Const _ -> 1
        | Var _ -> 0
        | Unary(_, a) -> constantCount a
        | Binary(_, a, b) -> constantCount a + constantCount b

    /// The constants in left-to-right (postfix) order.
    let constants (t: Tree) : float[] =
        let acc = ResizeArray()
        let rec go t =
            match t with
            | Const c -> acc.Add c
            | Var _ -> ()
            | Unary(_, a) -> go a
            | Binary(_, a, b) ->
                go a
                go b
        go t
        acc.ToArray()

    /// The same tree with its constants replaced, in the order `constants` returns them.
    let withConstants (values: float[]) (t: Tree) : Tree =
        let mutable i = 0
        let rec go t =
            match t with
            | Const _ ->
                let c = values[i]
                i <- i + 1
                Const c
            | Var _ -> t
            | Unary(op, a) -> Unary(op, go a)
            | Binary(op, a, b) ->
                let a' = go a
                Binary(op, a', go b)
        go t

    /// The subtree at a pre-order index (0 is the root).
    let rec nodeAt (index: int) (t: Tree) : Tree =
        if index = 0 then t
        else
            match t with
            | Const _ | Var _ -> invalidArg "index" "index beyond the tree"
            | Unary(_, a) -> nodeAt (index - 1) a
            | Binary(_, a, b) ->
                let sa = size a
                if index - 1 < sa then nodeAt (index - 1) a else nodeAt (index - 1 - sa) b

    /// The tree with the subtree at a pre-order index replaced.
    let rec replaceAt (index: int) (replacement: Tree) (t: Tree) : Tree =
        if index = 0 then replacement
        else
            match t with
            | Const _ | Var _ -> invalidArg "index" "index beyond the tree"
            | Unary(op, a) -> Unary(op, replaceAt (index - 1) replacement a)
            | Binary(op, a, b) ->
                let sa = size a
                if index - 1 < sa then Binary(op, replaceAt (index - 1) replacement a, b)
                else Binary(op, a, replaceAt (index - 1 - sa) replacement b)

    /// Pre-order indices of the nodes that satisfy a predicate.
    let indicesWhere (predicate: Tree -> bool) (t: Tree) : int list =
        let acc = ResizeArray()
        let rec go i t =
            if predicate t then acc.Add i
            match t with
            | Const _ | Var _ -> i + 1
            | Unary(_, a) -> go (i + 1) a
            | Binary(_, a, b) -> go (go (i + 1) a) b
        go 0 t |> ignore
        List.ofSeq acc

    /// How many applications of operator `inner` occur inside (below) each application of `outer`, maximised over the
    /// applications of `outer`.
    let maxNested (outer: int) (inner: int) (t: Tree) =
        let rec count t =
            match t with
            | Const _ | Var _ -> 0
            | Unary(op, a) -> (if op = inner then 1 else 0) + count a
            | Binary(op, a, b) -> (if op = inner then 1 else 0) + count a + count b
        let rec go t =
            match t with
            | Const _ | Var _ -> 0
            | Unary(op, a) -> max (if op = outer then count a else 0) (go a)
            | Binary(op, a, b) -> max (if op = outer then count a + count b else 0) (max (go a) (go b))
        go t

    /// The canonical core expression of a tree, with variables named by column.
    let rec toExpr (variables: string[]) (t: Tree) : Expr =
        match t with
        | Const c -> Expr.approx c
        | Var i -> Expr.variable variables[i]
        | Unary(op, a) -> (Operators.byIndex op).Build [ toExpr variables a ]
        | Binary(op, a, b) -> (Operators.byIndex op).Build [ toExpr variables a; toExpr variables b ]

    /// A tree for a canonical expression, using only operators for which `available` holds (by operator index):
    /// sums become add/sub chains, products mul/div chains, small integer powers square/cube or repeated products,
    /// x^(1/2) sqrt, other powers pow. Fails for placeholders, unknown variables and forms the operators cannot write.
    let ofExprWith (available: int -> bool) (variables: string[]) (e: Expr) : Result<Tree, string> =
        let op name =
            match Operators.tryIndexOf name with
            | Some i when available i -> Some i
            | _ -> None
        let need name =
            match op name with
            | Some i -> i
            | None -> raise (UnsupportedInTree(sprintf "needs operator '%s'" name))
        let rec go (e: Expr) =
            match e with
            | Number r -> Const(r.ToFloat())
            | Approx x -> Const x
            | Constant Pi -> Const System.Math.PI
            | Constant E -> Const System.Math.E
            | Parameter(_, v) -> Const v
            | Variable v ->
                match Array.tryFindIndex ((=) v) variables with
                | Some i -> Var i
                | None -> raise (UnsupportedInTree(sprintf "unknown variable '%s'" v))
            | Sum [] -> Const 0.0
            | Sum(t :: ts) ->
                ts |> List.fold (fun acc term ->
                    match term, op "sub" with
                    | Negative, Some sub -> Binary(sub, acc, go (Expr.negate term))
                    | _ -> Binary(need "add", acc, go term)) (go t)
            | Product fs ->
                let denominators, numerators =
                    fs |> List.partition (function Power(_, Negative) -> op "div" |> Option.isSome | _ -> false)
                let numerator =
                    match numerators with
                    | [] -> Const 1.0
                    | n :: ns -> ns |> List.fold (fun acc f -> Binary(need "mul", acc, go f)) (go n)
                denominators |> List.fold (fun acc f ->
                    match f with
                    | Power(b, x) -> Binary(need "div", acc, go (Expr.power b (Expr.negate x)))
                    | _ -> acc) numerator
            | Power(b, Integer 2) when (op "square").IsSome -> Unary(need "square", go b)
            | Power(b, Integer 3) when (op "cube").IsSome -> Unary(need "cube", go b)
            | Power(b, Integer n) when n >= 2 && n <= 4 && (op "mul").IsSome ->
                let g = go b
                List.fold (fun acc _ -> Binary(need "mul", acc, g)) g [ 2..n ]
            | Power(b, Integer -1) when (op "inv").IsSome -> Unary(need "inv", go b)
            | Power(b, Integer n) when n < 0 && (op "div").IsSome -> Binary(need "div", Const 1.0, go (Expr.powerInt b -n))
            | Power(b, Number r) when r = Rational.Create(1I, 2I) && (op "sqrt").IsSome -> Unary(need "sqrt", go b)
            | Power(b, x) -> Binary(need "pow", go b, go x)
            | Apply(name, [ a ]) -> Unary(need name, go a)
            | Apply(name, [ a; b ]) -> Binary(need name, go a, go b)
            | Apply(name, args) -> raise (UnsupportedInTree(sprintf "%s with %d arguments" name args.Length))
            | Placeholder(name, _) -> raise (UnsupportedInTree(sprintf "placeholder %s" name))
        try Ok(go e) with UnsupportedInTree reason -> Error reason

    /// `ofExprWith` with every operator of the table available (for warm starts from user guesses).
    let ofExpr (variables: string[]) (e: Expr) = ofExprWith (fun _ -> true) variables e
