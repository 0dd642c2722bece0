namespace Symbolic

open System
open System.Collections.Generic
open System.Runtime.InteropServices

/// The core for C# (and any .NET language): plain methods, arrays instead of F# lists, exceptions with the positioned
/// message instead of Result. F# code can use the modules (`Parse`, `Print`, `Simplify`, ...) directly.
[<AbstractClass; Sealed>]
type Algebra =
    /// Parses an expression; throws FormatException with "line L, column C: expected ...".
    static member Parse(text: string) : Expr =
        match Parse.expression text with
        | Ok e -> e
        | Error e -> raise (FormatException(e.ToString()))

    /// Parses an expression in which the given names are fittable parameters.
    static member Parse(text: string, parameters: string[]) : Expr =
        match Parse.expressionWith (Parse.withParameters parameters) text with
        | Ok e -> e
        | Error e -> raise (FormatException(e.ToString()))

    /// Parses an expression without throwing; `error` holds the positioned message on failure.
    static member TryParse(text: string, [<Out>] expr: byref<Expr>, [<Out>] error: byref<string>) : bool =
        match Parse.expression text with
        | Ok e ->
            expr <- e
            error <- ""
            true
        | Error e ->
            expr <- Expr.zero
            error <- e.ToString()
            false

    /// Parses equations separated by newlines or ';'.
    static member ParseSystem(text: string) : Equation[] =
        match Parse.system text with
        | Ok eqs -> Array.ofList eqs
        | Error e -> raise (FormatException(e.ToString()))

    static member ToInfix(e: Expr) = Print.infix e
    static member ToInfix(e: Expr, digits: int) = Print.infixWith (Print.withDigits digits) e
    static member ToLatex(e: Expr) = Print.latex e
    static member ToMathML(e: Expr) = Print.mathml e
    static member ToSymPy(e: Expr) = Print.sympy e
    static member ToCSharp(e: Expr) = Print.csharp e

    static member Simplify(e: Expr) = Simplify.simplify e
    static member Expand(e: Expr) = Simplify.expand e

    /// d e / d name (a variable or parameter), simplified.
    static member Derivative(e: Expr, name: string) = Simplify.simplify (Calculus.derivative name e)

    /// Whether two expressions are the same function (see `Equivalence.equivalent` for how it is decided).
    static member Equivalent(a: Expr, b: Expr) = Equivalence.areEquivalent a b

    /// How two expressions compare, with the method used.
    static member Compare(a: Expr, b: Expr) = Equivalence.equivalent a b

    /// The value at one point.
    static member Evaluate(e: Expr, values: IReadOnlyDictionary<string, float>) = Evaluate.at values e

    /// A fast program over the given variables (column order); throws ArgumentException for unknown names.
    static member Compile(e: Expr, [<ParamArray>] variables: string[]) : Program =
        match Compile.toProgram (List.ofArray variables) e with
        | Ok p -> p
        | Error reason -> raise (ArgumentException reason)

    /// Values of a program over columns (one array per variable); non-finite rows are NaN or infinite, as computed.
    static member Evaluate(program: Program, columns: float[][]) : float[] = (Evaluator.evaluate program columns).Values

    /// A delegate from variable values (in the given order) to the value, for scalar hot loops.
    static member CompileDelegate(e: Expr, [<ParamArray>] variables: string[]) : Func<float[], float> =
        match Compile.toDelegate (List.ofArray variables) e with
        | Ok f -> f
        | Error reason -> raise (ArgumentException reason)
