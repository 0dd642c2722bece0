namespace Symbolic.Search

/// The kinds of mutation, chosen by weight (see `MutationWeights`).
type Mutation =
    | MutateConstant
    | MutateOperator
    | SwapOperands
    | AddNode
    | InsertNode
    | DeleteNode
    | Rotate
    | Randomize
    | SimplifyTree
    | OptimizeConstants
    | DoNothing

/// What a mutation did: a new tree, or why it could not apply.
type MutationResult =
    | Mutated of Tree
    | Rejected of reason: string

/// Each mutation is one function from a parent to a `MutationResult`; none checks the space's constraints (the
/// evolution step does that once for all of them).
[<RequireQualifiedAccess>]
module Mutations =
    let private pick (rng: Rng) (xs: 'a list) = List.item (rng.NextInt(List.length xs)) xs

    let private isLeaf =
        function
        | Const _ | Var _ -> true
        | _ -> false

    /// Chooses a mutation by weight. Mutations that cannot apply to this tree get no weight (no constants: no
    /// MutateConstant; a leaf: no operator mutations).
    let choose (weights: MutationWeights) (rng: Rng) (t: Tree) : Mutation =
        let hasConstants = Tree.constantCount t > 0
        let hasOperators = not (isLeaf t)
        let hasBinary = Tree.indicesWhere (function Binary _ -> true | _ -> false) t |> List.isEmpty |> not
        let table =
            [ MutateConstant, (if hasConstants then weights.MutateConstant else 0.0)
              MutateOperator, (if hasOperators then weights.MutateOperator else 0.0)
              SwapOperands, (if hasBinary then weights.SwapOperands else 0.0)
              AddNode, weights.AddNode
              InsertNode, weights.InsertNode
              DeleteNode, (if hasOperators then weights.DeleteNode else 0.0)
              Rotate, (if hasOperators then weights.Rotate else 0.0)
              Randomize, weights.Randomize
              SimplifyTree, weights.Simplify
              OptimizeConstants, (if hasConstants then weights.Optimize else 0.0)
              DoNothing, weights.DoNothing ]
        let total = table |> List.sumBy snd
        let mutable r = rng.NextFloat() * total
        table |> List.tryFind (fun (_, w) -> r <- r - w; r < 0.0 && w > 0.0) |> Option.map fst |> Option.defaultValue DoNothing

    /// Multiplies or divides one constant by a random factor that shrinks as the temperature falls, and sometimes
    /// flips its sign.
    let mutateConstant (perturbation: float) (temperature: float) (rng: Rng) (t: Tree) =
        match Tree.indicesWhere (function Const _ -> true | _ -> false) t with
        | [] -> Rejected "no constants"
        | indices ->
            let at = pick rng indices
            match Tree.nodeAt at t with
            | Const c ->
                let maxChange = perturbation * temperature + 1.1
                let factor = maxChange ** rng.NextFloat()
                let c' = if rng.Chance 0.5 then c * factor else c / factor
                let c' = if rng.Chance 0.05 then -c' else c'
                Mutated(Tree.replaceAt at (Const c') t)
            | _ -> Rejected "no constants"

    /// Replaces one operator by another of the same arity.
    let mutateOperator (space: Space) (rng: Rng) (t: Tree) =
        match Tree.indicesWhere (isLeaf >> not) t with
        | [] -> Rejected "no operators"
        | indices ->
            let at = pick rng indices
            match Tree.nodeAt at t with
            | Unary(_, a) when space.Unary.Length > 0 -> Mutated(Tree.replaceAt at (Unary(space.Unary[rng.NextInt space.Unary.Length], a)) t)
            | Binary(_, a, b) -> Mutated(Tree.replaceAt at (Binary(space.Binary[rng.NextInt space.Binary.Length], a, b)) t)
            | _ -> Rejected "no operator of that arity to switch to"

    /// Swaps the two arguments of a binary operator.
    let swapOperands (rng: Rng) (t: Tree) =
        match Tree.indicesWhere (function Binary _ -> true | _ -> false) t with
        | [] -> Rejected "no binary operators"
        | indices ->
            let at = pick rng indices
            match Tree.nodeAt at t with
            | Binary(op, a, b) -> Mutated(Tree.replaceAt at (Binary(op, b, a)) t)
            | _ -> Rejected "no binary operators"

    /// Grows the tree at the top or at a leaf: a new operator whose other arguments are random leaves.
    let addNode (space: Space) (rng: Rng) (t: Tree) =
        if rng.Chance 0.5 then
            // Append at a leaf.
            let leaves = Tree.indicesWhere isLeaf t
            Mutated(Tree.replaceAt (pick rng leaves) (Space.randomOperatorNode space rng) t)
        else
            // Prepend at the root.
            match Space.randomOperatorNode space rng with
            | Unary(op, _) -> Mutated(Unary(op, t))
            | Binary(op, _, leaf) when rng.Chance 0.5 -> Mutated(Binary(op, t, leaf))
            | Binary(op, leaf, _) -> Mutated(Binary(op, leaf, t))
            | leaf -> Mutated leaf

    /// Inserts a new operator above a random node.
    let insertNode (space: Space) (rng: Rng) (t: Tree) =
        let at = rng.NextInt(Tree.size t)
        let node = Tree.nodeAt at t
        let wrapped =
            match Space.randomOperatorNode space rng with
            | Unary(op, _) -> Unary(op, node)
            | Binary(op, _, leaf) when rng.Chance 0.5 -> Binary(op, node, leaf)
            | Binary(op, leaf, _) -> Binary(op, leaf, node)
            | leaf -> leaf
        Mutated(Tree.replaceAt at wrapped t)

    /// Replaces a random operator by one of its arguments.
    let deleteNode (rng: Rng) (t: Tree) =
        match Tree.indicesWhere (isLeaf >> not) t with
        | [] -> Rejected "no operators"
        | indices ->
            let at = pick rng indices
            match Tree.nodeAt at t with
            | Unary(_, a) -> Mutated(Tree.replaceAt at a t)
            | Binary(_, a, b) -> Mutated(Tree.replaceAt at (if rng.Chance 0.5 then a else b) t)
            | _ -> Rejected "no operators"

    /// A tree rotation at a random operator whose child is an operator: the child moves up, the operator down.
    let rotate (rng: Rng) (t: Tree) =
        let rotatable =
            Tree.indicesWhere (function
                | Unary(_, (Unary _ | Binary _)) | Binary(_, (Unary _ | Binary _), _) | Binary(_, _, (Unary _ | Binary _)) -> true
                | _ -> false) t
        match rotatable with
        | [] -> Rejected "nothing to rotate"
        | indices ->
            let at = pick rng indices
            let rotated =
                match Tree.nodeAt at t with
                | Binary(op, Binary(op2, a, b), c) when rng.Chance 0.5 || (match c with Binary _ -> false | _ -> true) ->
                    Binary(op2, a, Binary(op, b, c))
                | Binary(op, a, Binary(op2, b, c)) -> Binary(op2, Binary(op, a, b), c)
                | Binary(op, Binary(op2, a, b), c) -> Binary(op2, a, Binary(op, b, c))
                | Unary(op, Unary(op2, a)) -> Unary(op2, Unary(op, a))
                | Unary(op, Binary(op2, a, b)) -> Binary(op2, Unary(op, a), b)
                | Binary(op, Unary(op2, a), b) -> Unary(op2, Binary(op, a, b))
                | Binary(op, a, Unary(op2, b)) -> Unary(op2, Binary(op, a, b))
                | other -> other
            Mutated(Tree.replaceAt at rotated t)

    /// A fresh random tree of a random size up to the current one.
    let randomize (space: Space) (rng: Rng) (t: Tree) =
        Mutated(Space.randomTree space rng (1 + rng.NextInt(max 1 (Tree.size t))))

    /// Swaps random subtrees between two parents.
    let crossover (rng: Rng) (a: Tree) (b: Tree) =
        let i = rng.NextInt(Tree.size a)
        let j = rng.NextInt(Tree.size b)
        Tree.replaceAt i (Tree.nodeAt j b) a, Tree.replaceAt j (Tree.nodeAt i a) b
