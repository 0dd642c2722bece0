namespace Symbolic.Search

open System

/// The last polish of an equation before it is reported: constants that are zero or a whole number up to rounding
/// noise become exactly that (a zero term or factor disappears), as long as the loss does not rise above `tolerance`.
/// Searches on exact data otherwise report `1.1e-18 + x^2` or `0.9999999997*x`.
[<RequireQualifiedAccess>]
module Tidy =
    let private simplifyZeros (t: Tree) =
        // Removes additive zeros and collapses products with a zero factor, bottom-up.
        let add = Symbolic.Operators.tryIndexOf "add" |> Option.defaultValue -1
        let sub = Symbolic.Operators.tryIndexOf "sub" |> Option.defaultValue -1
        let mul = Symbolic.Operators.tryIndexOf "mul" |> Option.defaultValue -1
        let rec go t =
            match t with
            | Binary(op, a, b) ->
                match op, go a, go b with
                | o, Const 0.0, b' when o = add -> b'
                | o, a', Const 0.0 when o = add || o = sub -> a'
                | o, Const 0.0, _ when o = mul -> Const 0.0
                | o, _, Const 0.0 when o = mul -> Const 0.0
                | o, Const 1.0, b' when o = mul -> b'
                | o, a', Const 1.0 when o = mul -> a'
                | _, a', b' -> Binary(op, a', b')
            | Unary(op, a) -> Unary(op, go a)
            | leaf -> leaf
        go t

    /// Tries each constant at its nearest whole number (zero included) and keeps every change whose loss stays within
    /// `tolerance`; returns the tidied tree and its loss.
    let tree (loss: Tree -> float) (tolerance: float) (t: Tree) : Tree * float =
        let mutable best = t
        let mutable bestLoss = loss t
        let limit = max tolerance bestLoss
        let mutable k = 0
        while k < Tree.constantCount best do
            let values = Tree.constants best
            let c = values[k]
            let rounded = Math.Round c
            if rounded <> c && abs (c - rounded) <= 1e-6 * max 1.0 (abs c) then
                values[k] <- rounded
                let candidate = simplifyZeros (Tree.withConstants values best)
                let l = loss candidate
                if l <= limit then
                    best <- candidate
                    bestLoss <- l
                    k <- 0 // the tree changed shape; start over
                else k <- k + 1
            else k <- k + 1
        best, bestLoss
