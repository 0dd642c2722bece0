namespace Symbolic.Search

open System
open System.Threading
open Symbolic

/// Symbolic regression with a fluent, C#-friendly surface over `Search`: start from `new SymbolicRegression()`, refine
/// with the `With...` methods (each returns a new instance), then `Fit`. From F#, `Search.run` with `SearchOptions` is
/// the same engine.
[<Sealed>]
type SymbolicRegression(options: SearchOptions) =
    new() = SymbolicRegression(SearchOptions.Default)

    /// The options this instance runs with.
    member _.Options = options

    /// Binary and unary operators by name (see `Operators`), e.g. ["add"; "sub"; "mul"; "div"] and ["sin"; "exp"].
    member _.WithOperators(binary: string seq, unary: string seq) =
        SymbolicRegression({ options with Space = { options.Space with BinaryOperators = List.ofSeq binary; UnaryOperators = List.ofSeq unary } })

    member _.WithMaxSize(maxSize: int) = SymbolicRegression({ options with Space = { options.Space with MaxSize = maxSize } })
    member _.WithMaxDepth(maxDepth: int) = SymbolicRegression({ options with Space = { options.Space with MaxDepth = maxDepth } })
    member _.WithSeed(seed: int64) = SymbolicRegression({ options with Seed = seed })
    member _.WithThreads(threads: int) = SymbolicRegression({ options with Threads = Some threads })
    member _.WithTimeout(timeout: TimeSpan) = SymbolicRegression({ options with Stopping = { options.Stopping with Timeout = Some timeout } })
    member _.WithIterations(iterations: int) = SymbolicRegression({ options with Stopping = { options.Stopping with Iterations = Some iterations } })
    member _.WithMaxEvaluations(evaluations: int64) = SymbolicRegression({ options with Stopping = { options.Stopping with MaxEvaluations = Some evaluations } })
    member _.WithTargetLoss(loss: float) = SymbolicRegression({ options with Stopping = { options.Stopping with TargetLoss = Some loss } })
    member _.WithPopulations(populations: int, size: int) =
        SymbolicRegression({ options with Evolution = { options.Evolution with Populations = populations; PopulationSize = size } })
    member _.WithBatchSize(rows: int) = SymbolicRegression({ options with BatchSize = Some rows })
    member _.WithCheckpoint(path: string) = SymbolicRegression({ options with CheckpointPath = Some path })
    member _.WithSelection(selection: ModelSelection) = SymbolicRegression({ options with Selection = selection })
    member _.WithLoss(loss: LossFunction) = SymbolicRegression({ options with Loss = loss })
    member _.WithOptions(f: Func<SearchOptions, SearchOptions>) = SymbolicRegression(f.Invoke options)

    /// Nesting limits as `(outer, inner, n)`: at most n applications of `inner` inside any `outer`.
    member _.WithNestedLimits(limits: (string * string * int) seq) =
        SymbolicRegression({ options with Space = { options.Space with NestedLimits = List.ofSeq limits } })

    /// `SearchSpace.SensibleNesting` for the unary operators chosen so far.
    member this.WithSensibleNesting() = this.WithNestedLimits(SearchSpace.SensibleNesting options.Space.UnaryOperators)

    /// Runs the search. `columns` holds one array per variable; `weights`, `guesses`, `progress` may be null. Bad
    /// options or data raise ArgumentException with the reason.
    member _.Fit(variables: string[], columns: float[][], target: float[], weights: float[], guesses: Expr seq,
                 progress: Action<SearchProgress>, cancellationToken: CancellationToken) : SearchResult =
        let data =
            { Variables = variables
              Columns = columns
              Target = target
              Weights = Option.ofObj weights }
        let report = match progress with null -> ignore | p -> p.Invoke
        let guesses = match guesses with null -> [] | g -> List.ofSeq g
        match Search.run options data guesses report cancellationToken with
        | Ok result -> result
        | Error reason -> raise (ArgumentException reason)

    /// Runs the search without weights, guesses or progress.
    member this.Fit(variables: string[], columns: float[][], target: float[]) =
        this.Fit(variables, columns, target, null, null, null, CancellationToken.None)
