namespace Symbolic

[<RequireQualifiedAccess>]
module Simplify =
    let maxPasses = 64

    /// Rules tried at each node, in order; the first that changes the node wins and the node is tried again.
    let private rules : (Expr -> Expr option) list =
        [ Powers.foldApproximate
          (function
           | Apply(name, args) as e ->
               let rebuilt = Structure.build name args
               if rebuilt = e then None else Some rebuilt
           | _ -> None)
          Structure.distributeCoefficient
          Powers.rewrite
          Exponentials.rewrite
          Trigonometry.rewrite ]

    /// Most rewrites at one node in one pass.
    let private rewritesPerNode = 32

    let rec private settle (budget: int) (e: Expr) : Expr =
        if budget = 0 then e
        else
            match rules |> List.tryPick (fun rule -> rule e |> Option.filter (fun r -> r <> e)) with
            | Some next -> settle (budget - 1) next
            | None -> e

    let private pass (e: Expr) = Structure.bottomUp (settle rewritesPerNode) e

    let rec private fixpoint (step: Expr -> Expr) (passes: int) (e: Expr) =
        if passes = 0 then e
        else
            let next = step e
            if next = e then e else fixpoint step (passes - 1) next

    let simplify (e: Expr) : Expr = fixpoint pass maxPasses e

    let expand (e: Expr) : Expr = fixpoint (Expansion.expand >> simplify) 8 (simplify e)

    let collect (name: string) (e: Expr) : Expr = Expansion.collect name (expand e)
