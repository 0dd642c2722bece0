namespace Symbolic.Search

open System
open Symbolic

/// One equation of the Pareto front.
type FrontEntry =
    { /// The equation, simplified, with fitted constants as approximate numbers.
      Expression: Expr
      /// The tree the search found (before simplification for display).
      Tree: Tree
      Complexity: int
      /// Loss on all rows.
      Loss: float
      /// -d log(loss) / d complexity against the previous entry.
      Score: float }

/// Why a search ended.
type StopReason =
    | IterationLimit
    | TimeLimit
    | EvaluationLimit
    | TargetReached
    | Cancelled

/// Where a search stands, reported after every iteration.
type SearchProgress =
    { Iteration: int
      Evaluations: int64
      EvaluationsPerSecond: float
      BestLoss: float
      Elapsed: TimeSpan
      Front: FrontEntry list }

/// What a search found.
type SearchResult =
    { /// Pareto front by increasing complexity.
      Front: FrontEntry list
      /// The model chosen by the selection rule (None only when nothing finite was ever found).
      Chosen: FrontEntry option
      Iterations: int
      Evaluations: int64
      Elapsed: TimeSpan
      StoppedBy: StopReason
      Seed: int64
      Variables: string[] }
