namespace Symbolic

open System
open System.Collections.Concurrent
open System.Collections.Generic
open System.Numerics.Tensors
open System.Threading

[<Struct>]
type EvalStatus =
    { Ok: bool
      Batch: int
      Row: int
      Instruction: int }

    static member Finite = { Ok = true; Batch = -1; Row = -1; Instruction = -1 }

type EvalResult =
    { Values: float[]
      Status: EvalStatus }

    member this.Ok = this.Status.Ok

type GradientResult =
    { Values: float[]
      Jacobian: float[][]
      Status: EvalStatus }

/// A value during forward-mode differentiation: structurally zero, one number for all rows, or a vector of the batch's
/// rows at `Offset` in `Buffer`.
type internal QuantityKind =
    | Zero = 0
    | Scalar = 1
    | Vector = 2

[<Struct>]
type internal Quantity =
    { Kind: QuantityKind
      Value: float
      Buffer: float[]
      Offset: int }

    static member Zero = { Kind = QuantityKind.Zero; Value = 0.0; Buffer = null; Offset = 0 }
    static member Scalar(x: float) = { Kind = QuantityKind.Scalar; Value = x; Buffer = null; Offset = 0 }
    static member Vector(buffer: float[], offset: int) = { Kind = QuantityKind.Vector; Value = 0.0; Buffer = buffer; Offset = offset }

/// Buffers of forward-mode differentiation: per stack position a value buffer and one tangent buffer per parameter.
type internal GradientSpace(batchSize: int, depth: int, parameters: int) =
    let buffer () = Array.zeroCreate<float> batchSize
    member val Depth = depth
    member val ParameterCount = parameters
    member val Values = Array.init depth (fun _ -> buffer ())
    member val Tangents = Array.init depth (fun _ -> Array.init parameters (fun _ -> buffer ()))
    member val ValueStack = Array.zeroCreate<Quantity> depth
    member val TangentStack = Array.init depth (fun _ -> Array.zeroCreate<Quantity> parameters)
    /// Partial derivatives of the current operator with respect to its first and second argument.
    member val Partials = [| buffer (); buffer () |]
    /// Arguments laid out as columns for the derivative programs.
    member val Staged = [| buffer (); buffer () |]

[<Sealed>]
type Workspace(batchSize: int, fuses: bool) =
    let batchSize = max 16 batchSize
    let mutable temps: float[][] = [||]
    let mutable registers: float[] = [||]
    let scratch = Array.init 3 (fun _ -> Array.zeroCreate<float> batchSize)
    let mutable gradientSpace: GradientSpace = Unchecked.defaultof<_>
    let mutable nested: Workspace option = None

    new() = Workspace(512, true)
    new(batchSize: int) = Workspace(batchSize, true)

    member _.BatchSize = batchSize
    member _.Fuses = fuses

    /// At least `n` batch-sized temporary buffers.
    member internal _.Temps(n: int) =
        if temps.Length < n then
            temps <- Array.init n (fun i -> if i < temps.Length then temps[i] else Array.zeroCreate batchSize)
        temps

    /// At least `n` registers.
    member internal _.Registers(n: int) =
        if registers.Length < n then registers <- Array.zeroCreate (max n (2 * registers.Length))
        registers

    /// Three batch-sized buffers for operators without a fast path.
    member internal _.Scratch = scratch

    /// Buffers for forward-mode differentiation with at least this stack depth and parameter count.
    member internal _.Gradient(depth: int, parameters: int) =
        if isNull (box gradientSpace) || gradientSpace.Depth < depth || gradientSpace.ParameterCount <> parameters then
            gradientSpace <- GradientSpace(batchSize, max depth 1, parameters)
        gradientSpace

    /// A second workspace with the same batch size (derivative programs run in it while the gradient uses this one).
    member internal _.Nested =
        match nested with
        | Some w -> w
        | None ->
            let w = Workspace(batchSize, fuses)
            nested <- Some w
            w

/// The plan runner and the per-row interpreter.
module internal Run =
    let read (columns: float[][]) (temps: float[][]) (start: int) (count: int) (src: Source) : ReadOnlySpan<float> =
        if src.Kind = SourceKind.Column then ReadOnlySpan<float>(columns[src.Index], start, count)
        else ReadOnlySpan<float>(temps[src.Index], 0, count)

    let private kernelOf (op: int) = (Operators.byIndex op).Kernel

    /// d = op(x) through the operator's table kernel (staged in scratch buffers, which it sees from index 0).
    let otherUnary (op: int) (x: ReadOnlySpan<float>) (d: Span<float>) (scratch: float[][]) =
        let count = x.Length
        x.CopyTo(Span<float>(scratch[0], 0, count))
        match kernelOf op with
        | VectorKernel.Unary k -> k.Invoke(scratch[0], scratch[1], count)
        | VectorKernel.Binary _ -> invalidOp (sprintf "operator %d is not unary" op)
        ReadOnlySpan<float>(scratch[1], 0, count).CopyTo d

    /// d = op(x, y) through the operator's table kernel; x and y are already staged in scratch[0] and scratch[1].
    let otherBinaryStaged (op: int) (count: int) (d: Span<float>) (scratch: float[][]) =
        match kernelOf op with
        | VectorKernel.Binary k -> k.Invoke(scratch[0], scratch[1], scratch[2], count)
        | VectorKernel.Unary _ -> invalidOp (sprintf "operator %d is not binary" op)
        ReadOnlySpan<float>(scratch[2], 0, count).CopyTo d

    let applyScalar (op: int) (a: float) (b: float) =
        match (Operators.byIndex op).Scalar with
        | ScalarFunction.Unary f -> f a
        | ScalarFunction.Binary f -> f a b

    /// Computes the registers that depend on parameters (once per evaluation).
    let prologue (plan: ExecutionPlan) (registers: float[]) =
        for s in plan.Prologue do
            registers[s.Dest] <- applyScalar s.Op registers[s.Left] (if s.Right >= 0 then registers[s.Right] else 0.0)

    /// Runs the vector steps over `count` rows starting at `start` in the columns, writing the output at `outStart`.
    let steps (plan: ExecutionPlan) (columns: float[][]) (start: int) (count: int) (registers: float[])
        (temps: float[][]) (scratch: float[][]) (output: float[]) (outStart: int) =
        let steps = plan.Steps
        for i in 0 .. steps.Length - 1 do
            let s = steps[i]
            let d =
                if s.Dest < 0 then Span<float>(output, outStart, count) else Span<float>(temps[s.Dest], 0, count)
            match s.Kind with
            | StepKind.Unary -> Kernels.unary s.Code (read columns temps start count s.A) d |> ignore
            | StepKind.Binary ->
                if s.B.Kind = SourceKind.Register then
                    Kernels.binaryVS s.Code (read columns temps start count s.A) registers[s.B.Index] d |> ignore
                elif s.A.Kind = SourceKind.Register then
                    Kernels.binarySV s.Code registers[s.A.Index] (read columns temps start count s.B) d |> ignore
                else
                    Kernels.binary s.Code (read columns temps start count s.A) (read columns temps start count s.B) d
                    |> ignore
            | StepKind.MultiplyAdd ->
                let x = read columns temps start count s.A
                if s.B.Kind = SourceKind.Register then
                    if s.C.Kind = SourceKind.Register then
                        Kernels.affine x registers[s.B.Index] registers[s.C.Index] d
                    else
                        TensorPrimitives.MultiplyAdd(x, registers[s.B.Index], read columns temps start count s.C, d)
                elif s.C.Kind = SourceKind.Register then
                    TensorPrimitives.MultiplyAdd(x, read columns temps start count s.B, registers[s.C.Index], d)
                else
                    TensorPrimitives.MultiplyAdd(
                        x, read columns temps start count s.B, read columns temps start count s.C, d)
            | StepKind.IntPower -> Kernels.intPower (read columns temps start count s.A) s.N d
            | StepKind.UnaryAffine ->
                Kernels.unaryAffine s.Code (read columns temps start count s.A) registers[s.B.Index] registers[s.C.Index] d
            | StepKind.OtherUnary -> otherUnary s.Op (read columns temps start count s.A) d scratch
            | _ ->
                let stage (src: Source) (target: float[]) =
                    if src.Kind = SourceKind.Register then Span<float>(target, 0, count).Fill registers[src.Index]
                    else (read columns temps start count src).CopyTo(Span<float>(target, 0, count))
                stage s.A scratch[0]
                stage s.B scratch[1]
                otherBinaryStaged s.Op count d scratch

    /// Runs the program at one row with the per-operator scalar functions. Returns the value and the index of the
    /// first instruction whose value is not finite (-1 if none).
    let row (program: Program) (parameters: float[]) (variable: int -> float) : struct (float * int) =
        let stack = Array.zeroCreate<float> (max 1 program.StackDepth)
        let mutable sp = 0
        let mutable first = -1
        let instructions = program.Instructions
        for i in 0 .. instructions.Length - 1 do
            match instructions[i] with
            | LoadVariable v ->
                stack[sp] <- variable v
                sp <- sp + 1
            | LoadConstant x ->
                stack[sp] <- x
                sp <- sp + 1
            | LoadParameter k ->
                stack[sp] <- parameters[k]
                sp <- sp + 1
            | Call op ->
                match (Operators.byIndex op).Scalar with
                | ScalarFunction.Unary f -> stack[sp - 1] <- f stack[sp - 1]
                | ScalarFunction.Binary f ->
                    stack[sp - 2] <- f stack[sp - 2] stack[sp - 1]
                    sp <- sp - 1
            if first < 0 && not (Double.IsFinite stack[sp - 1]) then first <- i
        struct (stack[0], first)

    /// Loads the registers (template, parameter values, prologue) of a plan into the workspace's register array.
    let loadRegisters (workspace: Workspace) (plan: ExecutionPlan) (parameters: float[]) =
        let registers = workspace.Registers plan.Registers.Length
        Array.blit plan.Registers 0 registers 0 plan.Registers.Length
        Array.blit parameters 0 registers 0 parameters.Length
        prologue plan registers
        registers

    /// Runs a whole batch: the output at `outStart` gets `count` values computed from the columns at `start`.
    let batch (workspace: Workspace) (plan: ExecutionPlan) (registers: float[]) (columns: float[][]) (start: int)
        (count: int) (output: float[]) (outStart: int) =
        let result = plan.Result
        match result.Kind with
        | SourceKind.Temp ->
            steps plan columns start count registers (workspace.Temps plan.Temps) workspace.Scratch output outStart
        | SourceKind.Column -> Array.blit columns[result.Index] start output outStart count
        | _ -> Span<float>(output, outStart, count).Fill registers[result.Index]

/// Forward-mode differentiation over a program, batch by batch.
module internal Forward =
    let private span (q: Quantity) (count: int) = ReadOnlySpan<float>(q.Buffer, q.Offset, count)
    let private into (buffer: float[]) (count: int) = Span<float>(buffer, 0, count)

    /// d = v * c for a non-zero scalar c, with 0 * c = 0 even when c is infinite or NaN.
    let private scale (v: ReadOnlySpan<float>) (c: float) (d: Span<float>) =
        if Double.IsFinite c then TensorPrimitives.Multiply(v, c, d)
        else
            for i in 0 .. v.Length - 1 do
                d[i] <- if v[i] = 0.0 then 0.0 else v[i] * c

    /// partial * tangent, written to `dst` when it is a vector (dst may be the memory of either). A zero on either side
    /// gives zero even where the other is infinite or NaN, so saturated operators have derivative 0 and a singular one
    /// applied to something that does not move contributes nothing.
    let multiply (partial: Quantity) (tangent: Quantity) (dst: float[]) (count: int) : Quantity =
        match partial.Kind, tangent.Kind with
        | QuantityKind.Zero, _
        | _, QuantityKind.Zero -> Quantity.Zero
        | QuantityKind.Scalar, _ when partial.Value = 0.0 -> Quantity.Zero
        | _, QuantityKind.Scalar when tangent.Value = 0.0 -> Quantity.Zero
        | QuantityKind.Scalar, QuantityKind.Scalar -> Quantity.Scalar(partial.Value * tangent.Value)
        | QuantityKind.Scalar, QuantityKind.Vector ->
            scale (span tangent count) partial.Value (into dst count)
            Quantity.Vector(dst, 0)
        | QuantityKind.Vector, QuantityKind.Scalar ->
            scale (span partial count) tangent.Value (into dst count)
            Quantity.Vector(dst, 0)
        | _ ->
            Kernels.strongZeroMultiply (span partial count) (span tangent count) (into dst count)
            Quantity.Vector(dst, 0)

    /// a + b, always left in `dst` when it is a vector.
    let add (a: Quantity) (b: Quantity) (dst: float[]) (count: int) : Quantity =
        let keep (q: Quantity) =
            if q.Kind = QuantityKind.Vector && not (Object.ReferenceEquals(q.Buffer, dst) && q.Offset = 0) then
                (span q count).CopyTo(into dst count)
                Quantity.Vector(dst, 0)
            else q
        match a.Kind, b.Kind with
        | QuantityKind.Zero, _ -> keep b
        | _, QuantityKind.Zero -> keep a
        | QuantityKind.Scalar, QuantityKind.Scalar -> Quantity.Scalar(a.Value + b.Value)
        | QuantityKind.Vector, QuantityKind.Scalar ->
            TensorPrimitives.Add(span a count, b.Value, into dst count)
            Quantity.Vector(dst, 0)
        | QuantityKind.Scalar, QuantityKind.Vector ->
            TensorPrimitives.Add(span b count, a.Value, into dst count)
            Quantity.Vector(dst, 0)
        | _ ->
            TensorPrimitives.Add(span a count, span b count, into dst count)
            Quantity.Vector(dst, 0)

    /// Derivative programs of each operator (one per argument, over variables "u" and "v"), compiled once.
    let private derivatives = ConcurrentDictionary<int, Program[]>()

    let private derivativePrograms (op: int) =
        derivatives.GetOrAdd(
            op,
            fun op ->
                let operator = Operators.byIndex op
                let names = [ "u"; "v" ] |> List.take operator.Arity
                operator.Partials(names |> List.map Variable)
                |> List.map (fun partial ->
                    match Compile.toProgram names partial with
                    | Ok p -> p
                    | Error e -> invalidOp (sprintf "the derivative of '%s' cannot be compiled: %s" operator.Name e))
                |> Array.ofList)

    /// The partial derivative of `op` with respect to argument `which` at the arguments, left in `dst` if a vector.
    let partial (workspace: Workspace) (space: GradientSpace) (op: int) (which: int) (args: Quantity[]) (dst: float[])
        (count: int) : Quantity =
        let program = (derivativePrograms op)[which]
        if args |> Array.forall (fun a -> a.Kind <> QuantityKind.Vector) then
            let struct (value, _) = Run.row program [||] (fun v -> args[v].Value)
            Quantity.Scalar value
        else
            let columns = space.Staged
            for i in 0 .. args.Length - 1 do
                let a = args[i]
                if a.Kind = QuantityKind.Vector then (span a count).CopyTo(into columns[i] count)
                else (into columns[i] count).Fill a.Value
            let nested = workspace.Nested
            let plan = program.Plan
            let registers = Run.loadRegisters nested plan [||]
            match plan.Result.Kind with
            | SourceKind.Register -> Quantity.Scalar registers[plan.Result.Index]
            | _ ->
                Run.batch nested plan registers columns 0 count dst 0
                Quantity.Vector(dst, 0)

    /// op applied to the arguments, left in `dst` if a vector.
    let apply (workspace: Workspace) (op: int) (args: Quantity[]) (dst: float[]) (count: int) : Quantity =
        let code = Program.codeOf op
        let d = into dst count
        if args |> Array.forall (fun a -> a.Kind <> QuantityKind.Vector) then
            Quantity.Scalar(Run.applyScalar op args[0].Value (if args.Length > 1 then args[1].Value else 0.0))
        elif args.Length = 1 then
            if not (Kernels.unary code (span args[0] count) d) then
                Run.otherUnary op (span args[0] count) d workspace.Scratch
            Quantity.Vector(dst, 0)
        else
            let a, b = args[0], args[1]
            let fast =
                if code = Code.Pow && b.Kind <> QuantityKind.Vector && b.Value = Math.Round b.Value
                   && abs b.Value <= float Program.maxIntPower then
                    // As the plan does: small integer powers multiply, in the order of `pown`.
                    Kernels.intPower (span a count) (int b.Value) d
                    true
                elif a.Kind <> QuantityKind.Vector then Kernels.binarySV code a.Value (span b count) d
                elif b.Kind <> QuantityKind.Vector then Kernels.binaryVS code (span a count) b.Value d
                else Kernels.binary code (span a count) (span b count) d
            if not fast then
                let scratch = workspace.Scratch
                for i in 0 .. 1 do
                    if args[i].Kind = QuantityKind.Vector then (span args[i] count).CopyTo(into scratch[i] count)
                    else (into scratch[i] count).Fill args[i].Value
                Run.otherBinaryStaged op count d scratch
            Quantity.Vector(dst, 0)

    /// Values and tangents of one batch; writes output[start..] and jacobian[k][start..].
    let batch (workspace: Workspace) (program: Program) (parameters: float[]) (data: float[][]) (start: int)
        (count: int) (output: float[]) (jacobian: float[][]) =
        let p = parameters.Length
        let space = workspace.Gradient(program.StackDepth, p)
        let values = space.ValueStack
        let tangents = space.TangentStack
        let mutable sp = 0
        for instruction in program.Instructions do
            match instruction with
            | LoadVariable v ->
                values[sp] <- Quantity.Vector(data[v], start)
                Array.fill tangents[sp] 0 p Quantity.Zero
                sp <- sp + 1
            | LoadConstant x ->
                values[sp] <- Quantity.Scalar x
                Array.fill tangents[sp] 0 p Quantity.Zero
                sp <- sp + 1
            | LoadParameter k ->
                values[sp] <- Quantity.Scalar parameters[k]
                Array.fill tangents[sp] 0 p Quantity.Zero
                tangents[sp][k] <- Quantity.Scalar 1.0
                sp <- sp + 1
            | Call op ->
                let arity = (Operators.byIndex op).Arity
                let pos = sp - arity
                let args = Array.init arity (fun i -> values[pos + i])
                let needed i = tangents[pos + i] |> Array.exists (fun t -> t.Kind <> QuantityKind.Zero)
                // Partials first: the value below may overwrite an argument's buffer.
                let partials =
                    Array.init arity (fun i ->
                        if needed i then partial workspace space op i args space.Partials[i] count else Quantity.Zero)
                values[pos] <- apply workspace op args space.Values[pos] count
                for k in 0 .. p - 1 do
                    let own = space.Tangents[pos][k]
                    let mutable t = multiply partials[0] (tangents[pos][k]) own count
                    if arity = 2 then
                        let second = multiply partials[1] (tangents[pos + 1][k]) (space.Tangents[pos + 1][k]) count
                        t <- add t second own count
                    tangents[pos][k] <- t
                sp <- pos + 1
        let write (q: Quantity) (target: float[]) =
            let d = Span<float>(target, start, count)
            match q.Kind with
            | QuantityKind.Vector -> ReadOnlySpan<float>(q.Buffer, q.Offset, count).CopyTo d
            | QuantityKind.Scalar -> d.Fill q.Value
            | _ -> d.Clear()
        write values[0] output
        for k in 0 .. p - 1 do
            write (tangents[0][k]) (jacobian[k])

[<RequireQualifiedAccess>]
module Evaluator =
    [<Literal>]
    let private DefaultBatchSize = 512

    let defaultBatchSize = DefaultBatchSize

    let private local = new ThreadLocal<Workspace>(fun () -> Workspace(DefaultBatchSize))

    let private check (program: Program) (parameters: float[]) (data: float[][]) (rows: int) =
        if parameters.Length <> program.Parameters.Length then
            invalidArg "parameters" (sprintf "the program has %d parameters, %d values given" program.Parameters.Length parameters.Length)
        if data.Length <> program.Variables.Length then
            invalidArg "data" (sprintf "the program has %d variables (%s), %d columns given" program.Variables.Length
                                   (String.Join(", ", program.Variables)) data.Length)
        for i in 0 .. data.Length - 1 do
            if isNull data[i] || data[i].Length < rows then
                invalidArg "data" (sprintf "column %d ('%s') has fewer than %d rows" i program.Variables[i] rows)

    let private rowsOf (data: float[][]) =
        if data.Length = 0 then 1
        else
            let rows = data[0].Length
            if data |> Array.exists (fun c -> c.Length <> rows) then invalidArg "data" "the columns differ in length"
            rows

    /// The status after a batch whose output rows [start, start + count) are written.
    let private statusOf (program: Program) (parameters: float[]) (data: float[][]) (output: float[]) (batch: int)
        (start: int) (count: int) =
        if TensorPrimitives.IsFiniteAll(ReadOnlySpan<float>(output, start, count)) then EvalStatus.Finite
        else
            let mutable row = start
            while Double.IsFinite output[row] do
                row <- row + 1
            let struct (_, first) = Run.row program parameters (fun v -> data[v][row])
            // The scalar functions may disagree with a vector kernel at the edge of its range: then blame the last.
            let instruction = if first >= 0 then first else program.Instructions.Length - 1
            { Ok = false; Batch = batch; Row = row; Instruction = instruction }

    /// Runs `step start count` over the rows batch by batch, stopping after the first batch whose output is not finite.
    let private inBatches (workspace: Workspace) (program: Program) (parameters: float[]) (data: float[][])
        (output: float[]) (step: int -> int -> unit) : EvalStatus =
        let rows = output.Length
        let mutable status = EvalStatus.Finite
        let mutable start = 0
        let mutable batch = 0
        while status.Ok && start < rows do
            let count = min workspace.BatchSize (rows - start)
            step start count
            status <- statusOf program parameters data output batch start count
            start <- start + count
            batch <- batch + 1
        status

    [<CompiledName("EvaluateInto")>]
    let evaluateInto (workspace: Workspace) (program: Program) (parameters: float[]) (data: float[][])
        (output: float[]) : EvalStatus =
        let rows = output.Length
        check program parameters data rows
        let plan = program.Plan
        let registers = Run.loadRegisters workspace plan parameters
        let interpret () =
            inBatches workspace program parameters data output (fun start count ->
                Run.batch workspace plan registers data start count output start)
        match (if workspace.Fuses then Fusion.kernelFor plan program.Parameters.Length program.Instructions.Length rows else null) with
        | null -> interpret ()
        | kernel ->
            // The fused loop does not stop early: on a non-finite value, the interpreter finds where and why.
            if kernel.Invoke(data, registers, output, rows) then EvalStatus.Finite else interpret ()

    [<CompiledName("Fuse")>]
    let fuse (program: Program) : bool = Fusion.fuse program.Plan program.Parameters.Length

    [<CompiledName("IsFused")>]
    let isFused (program: Program) : bool = program.Plan.State = FusionState.Fused

    [<CompiledName("EvaluateWith")>]
    let evaluateWith (program: Program) (parameters: float[]) (data: float[][]) : EvalResult =
        let output = Array.zeroCreate<float> (rowsOf data)
        let status = evaluateInto local.Value program parameters data output
        { Values = output; Status = status }

    [<CompiledName("Evaluate")>]
    let evaluate (program: Program) (data: float[][]) : EvalResult =
        evaluateWith program program.ParameterValues data

    [<CompiledName("GradientInto")>]
    let gradientInto (workspace: Workspace) (program: Program) (parameters: float[]) (data: float[][])
        (output: float[]) (jacobian: float[][]) : EvalStatus =
        let rows = output.Length
        check program parameters data rows
        if jacobian.Length <> parameters.Length || jacobian |> Array.exists (fun j -> isNull j || j.Length < rows) then
            invalidArg "jacobian" (sprintf "give one array of at least %d rows per parameter (%d)" rows parameters.Length)
        inBatches workspace program parameters data output (fun start count ->
            Forward.batch workspace program parameters data start count output jacobian)

    [<CompiledName("Gradient")>]
    let gradient (program: Program) (parameters: float[]) (data: float[][]) : GradientResult =
        let rows = rowsOf data
        let output = Array.zeroCreate<float> rows
        let jacobian = Array.init parameters.Length (fun _ -> Array.zeroCreate<float> rows)
        let status = gradientInto local.Value program parameters data output jacobian
        { Values = output; Jacobian = jacobian; Status = status }
