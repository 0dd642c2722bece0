namespace Symbolic

/// What an equation defines: a plain output (`y = ...`) or the time derivative of a state (`x' = ...`, `dx/dt = ...`).
[<RequireQualifiedAccess>]
type Target =
    /// A plain output, `y = ...`.
    | Output of name: string
    /// The time derivative of a state, `x' = ...` or `dx/dt = ...`.
    | Derivative of state: string

/// One equation: a target defined by a right-hand side. A system is a list of equations.
type Equation = { Target: Target; Rhs: Expr }

/// Building and inspecting equations.
[<RequireQualifiedAccess>]
module Equation =
    /// `name = rhs`.
    let output (name: string) (rhs: Expr) = { Target = Target.Output name; Rhs = rhs }

    /// `state' = rhs`.
    let derivative (state: string) (rhs: Expr) = { Target = Target.Derivative state; Rhs = rhs }

    /// The name the target refers to: the output's name or the state's name.
    let targetName (equation: Equation) =
        match equation.Target with
        | Target.Output name
        | Target.Derivative name -> name

    /// True when the equation defines a time derivative.
    let isDerivative (equation: Equation) =
        match equation.Target with
        | Target.Derivative _ -> true
        | Target.Output _ -> false
