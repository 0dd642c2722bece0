namespace Symbolic

open System
open System.Collections.Generic
open System.Numerics

/// Straightforward evaluation of an expression at one point by walking the tree. It is the reference that faster
/// evaluators are checked against, and what the equivalence test uses; it is not meant for hot loops (see `Evaluator`).
[<RequireQualifiedAccess>]
module Evaluate =
    /// The value of `expr` with variables (and parameters, by name, overriding their stored values) looked up in
    /// `values`. Unknown variables and placeholders raise KeyNotFoundException; out-of-domain operations give NaN.
    let rec at (values: IReadOnlyDictionary<string, float>) (expr: Expr) : float =
        let eval = at values
        match expr with
        | Number r -> r.ToFloat()
        | Approx x -> x
        | Constant Pi -> Math.PI
        | Constant E -> Math.E
        | Variable v ->
            match values.TryGetValue v with
            | true, x -> x
            | _ -> raise (KeyNotFoundException(sprintf "no value for variable '%s'" v))
        | Parameter(name, value) ->
            match values.TryGetValue name with
            | true, x -> x
            | _ -> value
        | Sum xs -> xs |> List.sumBy eval
        | Product xs -> xs |> List.fold (fun acc x -> acc * eval x) 1.0
        | Power(b, Integer n) -> pown (eval b) n
        // x^(1/2) is the square root, as the evaluator computes it: Math.Pow(-inf, 0.5) would be +inf.
        | Power(b, Number r) when r = Rational.Create(BigInteger.One, BigInteger 2) -> Math.Sqrt(eval b)
        | Power(b, e) -> Math.Pow(eval b, eval e)
        | Apply(name, args) ->
            match (Operators.find name).Scalar, args with
            | ScalarFunction.Unary f, [ a ] -> f (eval a)
            | ScalarFunction.Binary f, [ a; b ] -> f (eval a) (eval b)
            | _ -> invalidArg "expr" (sprintf "%s applied to %d arguments" name args.Length)
        | Placeholder(name, _) ->
            raise (KeyNotFoundException(sprintf "'%s' is an unknown function (a placeholder) and cannot be evaluated" name))

    /// `at` with values given as name/value pairs.
    let withValues (values: (string * float) seq) (expr: Expr) =
        at (dict values |> Dictionary :> IReadOnlyDictionary<_, _>) expr
