namespace Symbolic.Search

open System

/// What the search may build: operators, size limits and constraints.
type SearchSpace =
    { /// Binary operators by name in the operator table (e.g. "add", "mul", "div", "pow", "max").
      BinaryOperators: string list
      /// Unary operators by name (e.g. "sin", "exp", "log", "sqrt", "square").
      UnaryOperators: string list
      /// Largest complexity a candidate may have.
      MaxSize: int
      /// Deepest tree a candidate may have.
      MaxDepth: int
      /// Per-operator limits on the complexity of each argument; -1 means no limit. E.g. "pow", [-1; 1] allows only
      /// a constant or a variable as exponent.
      ArgumentLimits: Map<string, int list>
      /// Nested-operator limits: (outer, inner, n) allows at most n applications of `inner` inside any `outer`
      /// (("sin", "sin", 0) forbids sin inside sin).
      NestedLimits: (string * string * int) list
      /// Complexity of each operator; unlisted operators cost 1.
      OperatorComplexity: Map<string, int>
      ConstantComplexity: int
      VariableComplexity: int }

    static member Default =
        { BinaryOperators = [ "add"; "sub"; "mul"; "div" ]
          UnaryOperators = []
          MaxSize = 30
          MaxDepth = 12
          ArgumentLimits = Map.empty
          NestedLimits = []
          OperatorComplexity = Map.empty
          ConstantComplexity = 1
          VariableComplexity = 1 }

    /// Nesting limits that physical formulas almost never break, in the spirit of PySR's tuning advice: no periodic
    /// function inside a periodic one (sin, cos, tan), no exp inside exp nor log inside log, exp and log not inside
    /// each other (they cancel), and no inverse trigonometric function inside another. Only operators in `unary`
    /// are named; a periodic function inside an inverse one (asin(n*sin(theta))) stays allowed.
    static member SensibleNesting(unary: string seq) : (string * string * int) list =
        let present = Set.ofSeq unary
        let within (group: string list) = group |> List.filter present.Contains
        let pairs (outer: string list) (inner: string list) =
            [ for o in within outer do
                  for i in within inner do
                      yield o, i, 0 ]
        pairs [ "sin"; "cos"; "tan" ] [ "sin"; "cos"; "tan" ]
        @ pairs [ "exp"; "log" ] [ "exp"; "log" ]
        @ pairs [ "asin"; "acos"; "atan" ] [ "asin"; "acos"; "atan" ]

/// Relative weights of the mutations (the defaults are PySR 1.5's).
type MutationWeights =
    { MutateConstant: float
      MutateOperator: float
      SwapOperands: float
      AddNode: float
      InsertNode: float
      DeleteNode: float
      Rotate: float
      Randomize: float
      Simplify: float
      Optimize: float
      DoNothing: float }

    static member Default =
        { MutateConstant = 0.0346
          MutateOperator = 0.293
          SwapOperands = 0.198
          AddNode = 2.47
          InsertNode = 0.0112
          DeleteNode = 0.870
          Rotate = 4.26
          Randomize = 0.000502
          Simplify = 0.00209
          Optimize = 0.0
          DoNothing = 0.273 }

/// The evolutionary loop: islands, selection, replacement, parsimony and migration.
type EvolutionOptions =
    { /// Number of islands (populations).
      Populations: int
      PopulationSize: int
      /// Evolution cycles an island runs per iteration, between migrations.
      CyclesPerIteration: int
      TournamentSize: int
      /// Probability that a tournament picks its best; otherwise the next best with the same odds, and so on.
      TournamentProbability: float
      CrossoverProbability: float
      /// Simulated annealing: accept a worse child with probability exp(-dL / (Alpha * T)), T falling 1 -> 0 per cycle.
      Annealing: bool
      Alpha: float
      /// Constant parsimony: added to the normalised loss per unit of complexity. 0.0032 goes with the adaptive
      /// scaling of 20, as in PySR before 1.0 (on 20 Feynman problems at 8 s each: 11 solved with 0, 10 with 0.0032,
      /// 14 with 0.0032 and `SensibleNesting`).
      Parsimony: float
      /// Adaptive parsimony: scale of the penalty on complexities that are already frequent; 0 disables it. The
      /// default is 20, PySR's before 1.0: with 1.0's 1040 the noise of an island's complexity statistics outweighed
      /// the losses in the tournament (on the 28 Feynman problems the search had not solved, 0 of 28 solved at 8 s
      /// per problem against 8 with 20).
      AdaptiveParsimonyScaling: float
      /// Share of each island replaced by migrants from other islands after every iteration.
      FractionReplaced: float
      /// Share of each island replaced by members of the hall of fame after every iteration.
      FractionReplacedHallOfFame: float
      /// How many of each island's best are offered as migrants.
      MigrantPoolSize: int
      /// Scale of constant perturbations.
      PerturbationFactor: float }

    static member Default =
        { Populations = 15
          PopulationSize = 33
          CyclesPerIteration = 550
          TournamentSize = 15
          TournamentProbability = 0.982
          CrossoverProbability = 0.026
          Annealing = false
          Alpha = 3.17
          Parsimony = 0.0032
          AdaptiveParsimonyScaling = 20.0
          FractionReplaced = 0.00036
          FractionReplacedHallOfFame = 0.0614
          MigrantPoolSize = 12
          PerturbationFactor = 0.129 }

/// The algorithm that tunes a candidate's constants.
type ConstantOptimiser =
    | LevenbergMarquardt
    | Bfgs

/// Constant optimisation on a fraction of candidates.
type ConstantOptions =
    { Optimiser: ConstantOptimiser
      /// Probability that a new candidate has its constants optimised.
      Probability: float
      Iterations: int
      /// Extra starts from perturbed constants; the best result is kept.
      Restarts: int
      /// Fit y ~ a * f(x) + b in closed form before judging a candidate, so that scale and offset are free.
      LinearScaling: bool }

    static member Default =
        { Optimiser = LevenbergMarquardt
          Probability = 0.14
          Iterations = 8
          Restarts = 2
          LinearScaling = false }

/// When the search stops; whichever comes first. All None means: 100 iterations.
type StoppingOptions =
    { Iterations: int option
      Timeout: TimeSpan option
      MaxEvaluations: int64 option
      /// Stop once the best loss is at or below this.
      TargetLoss: float option }

    static member Default =
        { Iterations = None
          Timeout = None
          MaxEvaluations = None
          TargetLoss = None }

/// The quantity the search minimises.
type LossFunction =
    /// Mean squared error (weighted when sample weights are given).
    | MeanSquaredError
    /// Mean absolute error.
    | MeanAbsoluteError
    /// Mean of an elementwise loss of (prediction, target).
    | Elementwise of Func<float, float, float>
    /// Any objective of (predictions, targets, weights or null) to a loss.
    | Objective of Func<float[], float[], float[], float>

/// How the final model is chosen from the Pareto front.
type ModelSelection =
    /// Highest -dlog(loss)/dcomplexity among members whose loss is within 1.5x of the lowest (PySR's "best").
    | Best
    /// Lowest loss.
    | Accuracy
    /// Highest -dlog(loss)/dcomplexity.
    | Score

/// All options of a search, grouped. Start from `SearchOptions.Default` and change what you need.
type SearchOptions =
    { Space: SearchSpace
      Evolution: EvolutionOptions
      Mutations: MutationWeights
      Constants: ConstantOptions
      Stopping: StoppingOptions
      Loss: LossFunction
      Selection: ModelSelection
      /// Evaluate selection on random mini-batches of this many rows (None: all rows). The hall of fame always uses
      /// all rows.
      BatchSize: int option
      Seed: int64
      /// Worker threads (None: all cores). The result does not depend on it.
      Threads: int option
      /// Write a checkpoint to this file after iterations (None: no checkpoints); a killed run loses at most one
      /// iteration with the default interval.
      CheckpointPath: string option
      /// Minimum time between checkpoints.
      CheckpointInterval: TimeSpan
      /// Add guesses from cheap structure detection (power law, linear fit, exact sparse ratio of quadratics) to the initial populations.
      StructureSeeding: bool }

    static member Default =
        { Space = SearchSpace.Default
          Evolution = EvolutionOptions.Default
          Mutations = MutationWeights.Default
          Constants = ConstantOptions.Default
          Stopping = StoppingOptions.Default
          Loss = MeanSquaredError
          Selection = Best
          BatchSize = None
          Seed = 0L
          Threads = None
          CheckpointPath = None
          CheckpointInterval = TimeSpan.Zero
          StructureSeeding = true }
