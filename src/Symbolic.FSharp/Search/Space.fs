namespace Symbolic.Search

open Symbolic

/// The search space resolved against the operator table: operator indices, costs and constraints ready for the hot
/// loop.
type Space =
    { Binary: int[]
      Unary: int[]
      Costs: Costs
      MaxSize: int
      MaxDepth: int
      /// Operator index -> per-argument complexity limits (-1: none).
      ArgumentLimits: Map<int, int[]>
      /// (outer, inner, allowed) operator indices.
      NestedLimits: (int * int * int) list
      VariableCount: int }

[<RequireQualifiedAccess>]
module Space =
    /// Resolves names against the operator table; Error names the first unknown operator or wrong arity.
    let create (options: SearchSpace) (variableCount: int) : Result<Space, string> =
        let resolve arity (names: string list) =
            names
            |> List.map (fun name ->
                match Operators.tryIndexOf name with
                | None -> Error(sprintf "unknown operator '%s'" name)
                | Some i when (Operators.byIndex i).Arity <> arity ->
                    Error(sprintf "operator '%s' takes %d argument(s), listed as %s" name (Operators.byIndex i).Arity
                              (if arity = 1 then "unary" else "binary"))
                | Some i -> Ok i)
            |> List.fold (fun acc r ->
                match acc, r with
                | Ok xs, Ok x -> Ok(x :: xs)
                | (Error _ as e), _ -> e
                | _, Error e -> Error e) (Ok [])
            |> Result.map (List.rev >> List.distinct >> Array.ofList)
        let index name =
            match Operators.tryIndexOf name with
            | Some i -> Ok i
            | None -> Error(sprintf "unknown operator '%s' in a constraint" name)
        match resolve 2 options.BinaryOperators, resolve 1 options.UnaryOperators with
        | Error e, _
        | _, Error e -> Error e
        | Ok _, _ when variableCount < 1 -> Error "the search needs at least one input variable"
        | Ok binary, _ when binary.Length = 0 -> Error "the search needs at least one binary operator"
        | Ok binary, Ok unary ->
            let costs =
                { Operator =
                    Operators.all ()
                    |> List.map (fun op -> options.OperatorComplexity |> Map.tryFind op.Name |> Option.defaultValue op.Complexity)
                    |> Array.ofList
                  Constant = options.ConstantComplexity
                  Variable = options.VariableComplexity }
            let limits =
                options.ArgumentLimits |> Map.toList
                |> List.map (fun (name, ls) -> index name |> Result.map (fun i -> i, Array.ofList ls))
            let nested =
                options.NestedLimits
                |> List.map (fun (o, i, n) -> index o |> Result.bind (fun o -> index i |> Result.map (fun i -> o, i, n)))
            match List.tryPick (function Error e -> Some e | _ -> None) limits,
                  List.tryPick (function Error e -> Some e | _ -> None) nested with
            | Some e, _
            | _, Some e -> Error e
            | None, None ->
                Ok
                    { Binary = binary
                      Unary = unary
                      Costs = costs
                      MaxSize = options.MaxSize
                      MaxDepth = options.MaxDepth
                      ArgumentLimits = limits |> List.choose (function Ok x -> Some x | _ -> None) |> Map.ofList
                      NestedLimits = nested |> List.choose (function Ok x -> Some x | _ -> None)
                      VariableCount = variableCount }

    /// Complexity of a tree in this space.
    let complexity (space: Space) (t: Tree) = Tree.complexity space.Costs t

    /// Whether a tree respects size, depth, argument and nesting limits.
    let allows (space: Space) (t: Tree) =
        let rec argumentsOk t =
            match t with
            | Const _ | Var _ -> true
            | Unary(op, a) ->
                (match space.ArgumentLimits.TryFind op with
                 | Some ls when ls.Length > 0 && ls[0] >= 0 -> complexity space a <= ls[0]
                 | _ -> true)
                && argumentsOk a
            | Binary(op, a, b) ->
                (match space.ArgumentLimits.TryFind op with
                 | Some ls ->
                     (ls.Length < 1 || ls[0] < 0 || complexity space a <= ls[0])
                     && (ls.Length < 2 || ls[1] < 0 || complexity space b <= ls[1])
                 | None -> true)
                && argumentsOk a && argumentsOk b
        complexity space t <= space.MaxSize
        && Tree.depth t <= space.MaxDepth
        && (space.ArgumentLimits.IsEmpty || argumentsOk t)
        && space.NestedLimits |> List.forall (fun (o, i, n) -> Tree.maxNested o i t <= n)

    /// A random leaf: a variable or a standard-normal constant, even odds.
    let randomLeaf (space: Space) (rng: Rng) =
        if rng.Chance 0.5 then Const(rng.NextGaussian()) else Var(rng.NextInt space.VariableCount)

    /// A random operator node over random leaves.
    let randomOperatorNode (space: Space) (rng: Rng) =
        let unaryShare = float space.Unary.Length / float (space.Unary.Length + space.Binary.Length)
        if space.Unary.Length > 0 && rng.Chance unaryShare then
            Unary(space.Unary[rng.NextInt space.Unary.Length], randomLeaf space rng)
        else
            Binary(space.Binary[rng.NextInt space.Binary.Length], randomLeaf space rng, randomLeaf space rng)

    /// A random tree grown by appending operators at random leaves until it has about `nodes` nodes.
    let randomTree (space: Space) (rng: Rng) (nodes: int) =
        let mutable t = randomLeaf space rng
        while Tree.size t < nodes do
            let leaves = Tree.indicesWhere (function Const _ | Var _ -> true | _ -> false) t
            let at = leaves[rng.NextInt leaves.Length]
            t <- Tree.replaceAt at (randomOperatorNode space rng) t
        t
