namespace Symbolic

/// How an evaluation ended. `Ok` when every output value is finite. Otherwise evaluation stopped after the first batch
/// whose output holds a NaN or an infinity: `Batch` is that batch (0-based), `Row` the first row (index into the data)
/// whose output is not finite, and `Instruction` the index in `Program.Instructions` of the first instruction whose
/// value is not finite at that row (a `LoadVariable` when the data itself holds the NaN). Rows after that batch may
/// not be computed. The three indices are -1 when `Ok`.
[<Struct>]
type EvalStatus =
    { Ok: bool
      Batch: int
      Row: int
      Instruction: int }

    /// The status of an evaluation that completed with finite values.
    static member Finite: EvalStatus

/// Output values of a program over data, with the status (see `EvalStatus`).
type EvalResult =
    { Values: float[]
      Status: EvalStatus }

    /// True when every value is finite.
    member Ok: bool

/// Output values and their derivatives with respect to every parameter. `Jacobian[k][row]` is d output[row] / d
/// parameter k (one array per parameter, in `Program.Parameters` order). `Status` refers to the values; derivatives
/// may be infinite where an operator's derivative is singular (sqrt at 0) even when the values are finite. In the
/// chain rule 0 times anything counts as 0: saturated operators (tanh of a huge argument) have derivative 0, and a
/// singular operator applied to something that does not depend on the parameter contributes 0, not NaN.
type GradientResult =
    { Values: float[]
      Jacobian: float[][]
      Status: EvalStatus }

/// Scratch memory for evaluation: per-batch temporary buffers and registers, grown on demand and reused across calls so
/// that evaluating in a loop allocates nothing. A workspace is NOT thread-safe: give each thread its own (the
/// convenience functions without a workspace use one per thread).
[<Sealed>]
type Workspace =
    /// A workspace with the default batch size.
    new: unit -> Workspace
    /// A workspace evaluating `batchSize` rows at a time (at least 16).
    new: batchSize: int -> Workspace
    /// A workspace evaluating `batchSize` rows at a time; with `fuses` false, evaluations through it always run the
    /// interpreter tier (to measure it, or to keep results bit-identical whatever a program's history).
    new: batchSize: int * fuses: bool -> Workspace
    /// Rows per batch.
    member BatchSize: int
    /// Whether `Evaluator.evaluateInto` may run (and create) fused loops through this workspace.
    member Fuses: bool

/// The fast evaluator: runs a compiled `Program` over columnar data (one `float[]` per program variable, all the same
/// length) in batches, with SIMD kernels per operator (and fused kernels for products inside sums), stopping at the
/// first batch whose output is not finite. It has two tiers: a program starts interpreted, plan step by plan step;
/// once it has run about eight million node-rows (several times the cost of fusing it), `evaluateInto` fuses it into one
/// generated SIMD loop over all rows that keeps intermediate values in registers (within a few ulps of the
/// interpreter; exactly equal for arithmetic). A fused evaluation that meets a non-finite value is re-run by the
/// interpreter to report the status, so the status never depends on the tier.
[<RequireQualifiedAccess>]
module Evaluator =
    /// Rows per batch of a default workspace.
    val defaultBatchSize: int

    /// The values of `program` at every row of `data` (one column per program variable), using the program's own
    /// parameter values. A program without variables is evaluated on one row. Thread-safe.
    [<CompiledName("Evaluate")>]
    val evaluate: program: Program -> data: float[][] -> EvalResult

    /// As `evaluate`, with other parameter values (in `Program.Parameters` order), e.g. from a constant optimiser.
    [<CompiledName("EvaluateWith")>]
    val evaluateWith: program: Program -> parameters: float[] -> data: float[][] -> EvalResult

    /// The allocation-free form for search loops: writes the values of the first `output.Length` rows of `data` into
    /// `output` using `workspace`'s buffers, and returns the status. Throws ArgumentException when the number of
    /// columns or parameters does not match the program, or a column is shorter than `output`.
    [<CompiledName("EvaluateInto")>]
    val evaluateInto:
        workspace: Workspace -> program: Program -> parameters: float[] -> data: float[][] -> output: float[] -> EvalStatus

    /// Fuses the program now rather than when it is hot (see the module's summary): its whole plan becomes one
    /// generated SIMD loop that keeps intermediate values in registers. Returns false when it cannot be fused: an
    /// operator without a vector kernel (registered by a user), an output that is a lone variable or constant, or no
    /// SIMD on this machine. Fusion is shared by every copy of the program (`Program.withParameterValues`).
    [<CompiledName("Fuse")>]
    val fuse: program: Program -> bool

    /// True when the program runs as a fused loop (by `fuse`, or because it became hot).
    [<CompiledName("IsFused")>]
    val isFused: program: Program -> bool

    /// Values and d value / d parameter for every row and parameter (forward mode over the program, per batch, with
    /// each operator's derivative taken from its symbolic `Partials`). Thread-safe.
    [<CompiledName("Gradient")>]
    val gradient: program: Program -> parameters: float[] -> data: float[][] -> GradientResult

    /// `gradient` with the workspace's buffers (it allocates only small bookkeeping arrays): writes values into `output` (its length is the number of rows) and
    /// derivatives into `jacobian[k]` (one array per parameter, each at least as long as `output`).
    [<CompiledName("GradientInto")>]
    val gradientInto:
        workspace: Workspace ->
        program: Program ->
        parameters: float[] ->
        data: float[][] ->
        output: float[] ->
        jacobian: float[][] ->
            EvalStatus
