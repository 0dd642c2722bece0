namespace Symbolic

/// A point where two expressions differ: the variable values and the value of each side there.
type Witness =
    { Point: (string * float) list
      Left: float
      Right: float }

/// Whether two expressions are the same function, and how that was decided.
type EquivalenceResult =
    /// The canonical forms agree (after `Simplify.simplify`, or `Simplify.expand` of the difference is 0): proven.
    | Identical
    /// The canonical forms differ but the values agree, within the relative tolerance times the estimated rounding
    /// error, at every random point where both are defined; `points` counts those where both evaluations carry at
    /// least six reliable digits, and `maxRelativeError` is the largest relative difference among them.
    | NumericallyEqual of points: int * maxRelativeError: float
    /// A point where both are defined and the values differ beyond rounding.
    | Different of witness: Witness
    /// Neither proven nor refuted: too few points where both sides are defined and well conditioned.
    | Undecided of reason: string

/// Settings of the randomised numeric identity test.
type EquivalenceOptions =
    { /// Seed of the random points (the test is reproducible).
      Seed: int
      /// Points where both sides are defined that the test wants.
      Points: int
      /// Points tried at most to find them.
      MaxAttempts: int
      /// Fewest points where both sides are defined for a numeric verdict of equality.
      MinimumPoints: int
      /// Allowed difference as a multiple of the estimated size of the computation (roughly the absolute rounding
      /// error divided by machine epsilon): 1e-9 means agreement to about nine digits of the terms involved.
      RelativeTolerance: float }

    /// Seed 20240611, 200 points out of at most 4000 tries, at least 20, relative tolerance 1e-9.
    static member Default: EquivalenceOptions

/// Deciding whether expressions denote the same function, and SRBench's "symbolic solution" test.
///
/// The numeric test draws each variable and parameter (parameters are free symbols here; their stored values are
/// ignored) from a range that changes from point to point: (0.1, 4), (-4, 4), (-1, 1), log-uniform on (0.01, 100),
/// (0.5, 1.5) and (-100, 100). Points where either side is NaN or infinite are skipped, so two expressions that agree
/// on the common part of their domains count as equal (log(x^2) and 2*log(x) agree for x > 0). A difference at a point
/// must exceed the tolerance times a first-order estimate of the rounding error of both evaluations, so cancellation
/// inside an identity ((x + 1)^2 - x^2 - 2*x - 1 at x = 100) is not mistaken for a difference. Unknown functions
/// (placeholders such as `h(x, y)` and their partials `D1_h(x, y)`) are replaced, consistently, by random smooth
/// functions for two independent draws: a difference for either draw is a difference for some function, agreement for
/// both is reported as `NumericallyEqual`.
[<RequireQualifiedAccess>]
module Equivalence =
    /// The value of `e` at a point (variables and parameters by name) and a first-order estimate of its absolute
    /// rounding error in units of machine epsilon (the error is about `2.2e-16 *` that): each operation contributes
    /// |its result| plus its arguments' errors times the absolute partial derivatives. Placeholders raise
    /// KeyNotFoundException, as in `Evaluate.at`.
    val valueWithError: values: System.Collections.Generic.IReadOnlyDictionary<string, float> -> e: Expr -> float * float

    /// Whether `a` and `b` are the same function, with the given test settings.
    val equivalentWith: options: EquivalenceOptions -> a: Expr -> b: Expr -> EquivalenceResult

    /// Whether `a` and `b` are the same function: canonical forms first, then the randomised numeric identity test.
    val equivalent: a: Expr -> b: Expr -> EquivalenceResult

    /// True when `equivalent a b` is `Identical` or `NumericallyEqual`.
    val areEquivalent: a: Expr -> b: Expr -> bool

    /// One line saying how a result was decided: `identical canonical forms`, `numerically equal at 200 random points
    /// (largest relative difference 2.2e-16)`, `different: at x = 1.5, 2.25 versus 2.2500001`, `undecided: ...`.
    val describe: result: EquivalenceResult -> string

    /// Every approximate number, and every parameter (by its current value), replaced by the exact decimal fraction
    /// rounded to `digits` decimals (half to even); exact numbers are kept.
    val roundConstants: digits: int -> e: Expr -> Expr

    /// Whether `a - b` is a constant: `Identical` when the simplified difference is closed, `NumericallyEqual` when
    /// its values at the random points agree, else `Different` (the witness holds the difference at a point and the
    /// constant it takes elsewhere) or `Undecided`.
    val differenceIsConstant: a: Expr -> b: Expr -> EquivalenceResult

    /// Whether `a / b` is a non-zero constant, decided and reported like `differenceIsConstant`; a zero ratio is
    /// `Different`.
    val ratioIsConstant: a: Expr -> b: Expr -> EquivalenceResult

    /// SRBench's symbolic-solution test: after rounding constants to 3 decimals in both, `truth - model` is a constant
    /// or `model / truth` is a non-zero constant.
    val isSymbolicSolution: truth: Expr -> model: Expr -> bool
