namespace Symbolic

open System
open System.Collections.Generic

/// One instruction of a postfix program. Executing a program pushes values on a stack: loads push one value, `Call`
/// pops as many values as the operator takes (the last pushed is the last argument) and pushes the result. A valid
/// program leaves exactly one value, the output.
[<Struct>]
type Instruction =
    /// Push the column of the program's variable at this index (see `Program.Variables`).
    | LoadVariable of variable: int
    /// Push a number.
    | LoadConstant of value: float
    /// Push the value of the program's parameter at this index (see `Program.Parameters`).
    | LoadParameter of parameter: int
    /// Apply the operator with this index in the `Operators` table (see `Operators.indexOf`).
    | Call of op: int

/// Fast paths for the built-in operators; `Other` runs the operator's own kernel from the table.
type internal Code =
    | Add = 0
    | Sub = 1
    | Mul = 2
    | Div = 3
    | Pow = 4
    | Max = 5
    | Min = 6
    | Neg = 7
    | Square = 8
    | Cube = 9
    | Inv = 10
    | Sqrt = 11
    | Cbrt = 12
    | Abs = 13
    | Exp = 14
    | Log = 15
    | Log10 = 16
    | Sin = 17
    | Cos = 18
    | Tan = 19
    | Asin = 20
    | Acos = 21
    | Atan = 22
    | Sinh = 23
    | Cosh = 24
    | Tanh = 25
    | Relu = 26
    | Other = 255

/// Where a step of the plan reads an operand: a data column (at the batch's rows), a batch-sized temporary buffer, or a
/// scalar register (constants, parameters and values computed from them once per evaluation).
type internal SourceKind =
    | Column = 0uy
    | Temp = 1uy
    | Register = 2uy

[<Struct>]
type internal Source = { Kind: SourceKind; Index: int }

type internal StepKind =
    /// Dest = Code(A), A a vector.
    | Unary = 0
    /// Dest = Code(A, B), at most one of them a register.
    | Binary = 1
    /// Dest = A * B + C, A a vector (the fusion of a product into the sum that uses it).
    | MultiplyAdd = 2
    /// Dest = A ^ N for a small integer N, A a vector.
    | IntPower = 3
    /// A unary operator without a fast path: its table kernel.
    | OtherUnary = 4
    /// A binary operator without a fast path: its table kernel (registers broadcast first).
    | OtherBinary = 5
    /// Dest = Code(A * B + C) for registers B and C: exp, log, sin, cos or sqrt of an affine argument in one pass.
    | UnaryAffine = 6

/// One vector operation over a batch. Dest is a temporary buffer index, or -1 for the output itself.
[<Struct>]
type internal Step =
    { Kind: StepKind
      Code: Code
      Op: int
      A: Source
      B: Source
      C: Source
      N: int
      Dest: int }

/// One scalar operation run once per evaluation on registers (operators applied to parameters and constants only).
[<Struct>]
type internal ScalarStep = { Op: int; Left: int; Right: int; Dest: int }

/// A whole program fused into one SIMD loop: writes the output for rows [0, count) of the columns, given the loaded
/// registers (see `Fusion`); returns true when every output value is finite.
type internal FusedKernel = delegate of columns: float[][] * registers: float[] * output: float[] * count: int -> bool

/// Where a plan stands with fusion: not yet worth it, fused, or not fusable (an operator without a vector form).
type internal FusionState =
    | Interpreted = 0
    | Fused = 1
    | Unfusable = 2

/// How a program runs over batches of rows: the vector steps (with buffer assignment and fused patterns), the scalar
/// prologue and the register template. Built by `Program.create`; opaque outside the core.
[<Sealed; AllowNullLiteral>]
type ExecutionPlan internal (steps: Step[], prologue: ScalarStep[], registers: float[], temps: int, result: Source) =
    [<DefaultValue>]
    val mutable internal Work: int64
    [<DefaultValue>]
    val mutable internal State: FusionState
    [<DefaultValue>]
    val mutable internal Fused: FusedKernel
    member internal _.Steps = steps
    member internal _.Prologue = prologue
    /// Register template: parameters first (overwritten per evaluation), then constants and prologue results.
    member internal _.Registers = registers
    /// Number of batch-sized temporary buffers the steps use.
    member internal _.Temps = temps
    /// Where the output comes from: a column or register (copied), or a temp (the last step writes the output).
    member internal _.Result = result
    /// Number of vector steps per batch (after folding and fusion).
    member _.StepCount = steps.Length

/// A compiled expression: a flat postfix program over named variables (data columns, in this order) and named
/// parameters (with their current values), plus what the evaluator precomputes from it. Build one with
/// `Compile.toProgram` from an expression or with `Program.create` from instructions.
[<NoComparison; CustomEquality>]
type Program =
    { Instructions: Instruction[]
      /// Column order: `LoadVariable i` reads the i-th column of the data.
      Variables: string[]
      /// Parameter order: `LoadParameter k` reads the k-th parameter value.
      Parameters: string[]
      /// Current parameter values (used when no other values are given).
      ParameterValues: float[]
      /// The largest number of values on the stack while the program runs.
      StackDepth: int
      /// The precomputed execution plan.
      Plan: ExecutionPlan }

    override this.Equals(other) =
        match other with
        | :? Program as p ->
            this.Instructions = p.Instructions && this.Variables = p.Variables && this.Parameters = p.Parameters
            && this.ParameterValues = p.ParameterValues
        | _ -> false

    override this.GetHashCode() = HashCode.Combine(this.Instructions.Length, this.Variables.Length, this.Parameters.Length)

/// Building and inspecting programs.
[<RequireQualifiedAccess>]
module Program =
    let private codes : Lazy<Code[]> =
        lazy
            (Operators.all ()
             |> List.map (fun op ->
                 match op.Name with
                 | "add" -> Code.Add
                 | "sub" -> Code.Sub
                 | "mul" -> Code.Mul
                 | "div" -> Code.Div
                 | "pow" -> Code.Pow
                 | "max" -> Code.Max
                 | "min" -> Code.Min
                 | "neg" -> Code.Neg
                 | "square" -> Code.Square
                 | "cube" -> Code.Cube
                 | "inv" -> Code.Inv
                 | "sqrt" -> Code.Sqrt
                 | "cbrt" -> Code.Cbrt
                 | "abs" -> Code.Abs
                 | "exp" -> Code.Exp
                 | "log" -> Code.Log
                 | "log10" -> Code.Log10
                 | "sin" -> Code.Sin
                 | "cos" -> Code.Cos
                 | "tan" -> Code.Tan
                 | "asin" -> Code.Asin
                 | "acos" -> Code.Acos
                 | "atan" -> Code.Atan
                 | "sinh" -> Code.Sinh
                 | "cosh" -> Code.Cosh
                 | "tanh" -> Code.Tanh
                 | "relu" -> Code.Relu
                 | _ -> Code.Other)
             |> Array.ofList)

    /// The fast-path code of an operator index (operators registered by users have none).
    let internal codeOf (op: int) =
        let table = codes.Force()
        if op < table.Length then table[op] else Code.Other

    /// Largest integer exponent turned into repeated multiplication.
    let internal maxIntPower = 32

    /// A value on the simulated stack while planning: where it lives, its value if known while planning, and which step
    /// produced it (-1 if none).
    [<Struct>]
    type private Entry = { Src: Source; Known: float voption; Step: int }

    let private register i = { Kind = SourceKind.Register; Index = i }
    let private temp i = { Kind = SourceKind.Temp; Index = i }
    let private none = { Kind = SourceKind.Register; Index = -1 }

    let private applyScalar (op: Operator) (args: float[]) =
        match op.Scalar with
        | ScalarFunction.Unary f -> f args[0]
        | ScalarFunction.Binary f -> f args[0] args[1]

    let private isIntegral (x: float) = x = Math.Round x && abs x <= float maxIntPower

    /// Plans a validated program: scalar folding, buffer assignment by stack position, fusion of products into sums.
    let private plan (instructions: Instruction[]) (parameterCount: int) : ExecutionPlan * int =
        let stack = List<Entry>()
        let steps = List<Step>()
        let prologue = List<ScalarStep>()
        let registers = List<float>(Array.zeroCreate<float> parameterCount)
        let mutable depth = 0
        let newRegister (value: float) =
            registers.Add value
            registers.Count - 1
        let pushKnown (value: float) =
            stack.Add { Src = register (newRegister value); Known = ValueSome value; Step = -1 }
        let emit (step: Step) =
            steps.Add step
            stack.Add { Src = temp step.Dest; Known = ValueNone; Step = steps.Count - 1 }
        let isVector (e: Entry) = e.Src.Kind <> SourceKind.Register
        /// The last step, if it is a product of which `e` is the result (so it can be fused into its consumer).
        let producedByLastProduct (e: Entry) =
            e.Step >= 0 && e.Step = steps.Count - 1
            && ((steps[e.Step].Kind = StepKind.Binary && steps[e.Step].Code = Code.Mul)
                || (steps[e.Step].Kind = StepKind.Unary && steps[e.Step].Code = Code.Square))
        /// The two factors of a product step (a square multiplies its operand by itself).
        let factors (e: Entry) =
            let p = steps[e.Step]
            if p.Kind = StepKind.Unary then p.A, p.A else p.A, p.B
        let removeLastStep () = steps.RemoveAt(steps.Count - 1)
        for instruction in instructions do
            match instruction with
            | LoadVariable v -> stack.Add { Src = { Kind = SourceKind.Column; Index = v }; Known = ValueNone; Step = -1 }
            | LoadConstant x -> pushKnown x
            | LoadParameter k -> stack.Add { Src = register k; Known = ValueNone; Step = -1 }
            | Call op ->
                let operator = Operators.byIndex op
                let arity = operator.Arity
                let args = Array.init arity (fun i -> stack[stack.Count - arity + i])
                stack.RemoveRange(stack.Count - arity, arity)
                let dest = stack.Count
                let code = codeOf op
                if args |> Array.forall (fun a -> not (isVector a)) then
                    if args |> Array.forall (fun a -> a.Known.IsSome) then
                        pushKnown (applyScalar operator (args |> Array.map (fun a -> a.Known.Value)))
                    else
                        let r = newRegister 0.0
                        prologue.Add
                            { Op = op
                              Left = args[0].Src.Index
                              Right = (if arity = 2 then args[1].Src.Index else -1)
                              Dest = r }
                        stack.Add { Src = register r; Known = ValueNone; Step = -1 }
                elif arity = 1 then
                    let a = args[0]
                    let last = if a.Step >= 0 && a.Step = steps.Count - 1 then ValueSome steps[a.Step] else ValueNone
                    let isRegister (s: Source) = s.Kind = SourceKind.Register && s.Index >= 0
                    /// The argument as x * scale + offset with register scale and offset, when its last step is such.
                    let affine =
                        match last with
                        | ValueSome p when p.Kind = StepKind.Unary && p.Code = Code.Neg ->
                            ValueSome(p.A, register (newRegister -1.0), register (newRegister 0.0))
                        | ValueSome p when p.Kind = StepKind.Binary && p.Code = Code.Mul && isRegister p.B ->
                            ValueSome(p.A, p.B, register (newRegister 0.0))
                        | ValueSome p when p.Kind = StepKind.Binary && p.Code = Code.Add && isRegister p.B ->
                            ValueSome(p.A, register (newRegister 1.0), p.B)
                        | ValueSome p when p.Kind = StepKind.MultiplyAdd && isRegister p.B && isRegister p.C ->
                            ValueSome(p.A, p.B, p.C)
                        | _ -> ValueNone
                    let fusable = code = Code.Exp || code = Code.Log || code = Code.Sin || code = Code.Cos || code = Code.Sqrt
                    match affine with
                    | ValueSome(x, scale, offset) when fusable && isVector a ->
                        removeLastStep ()
                        emit { Kind = StepKind.UnaryAffine; Code = code; Op = op; A = x; B = scale; C = offset; N = 0; Dest = dest }
                    | _ when code = Code.Neg && last.IsSome && last.Value.Kind = StepKind.Binary
                             && last.Value.Code = Code.Mul && isRegister last.Value.B ->
                        // -(x * k) = x * (-k): the negated factor is a register computed once per evaluation.
                        let p = last.Value
                        removeLastStep ()
                        let k = newRegister 0.0
                        prologue.Add { Op = op; Left = p.B.Index; Right = -1; Dest = k }
                        emit { p with B = register k; Dest = dest }
                    | _ ->
                        let kind = if code = Code.Other then StepKind.OtherUnary else StepKind.Unary
                        emit { Kind = kind; Code = code; Op = op; A = a.Src; B = none; C = none; N = 0; Dest = dest }
                else
                    let a, b = args[0], args[1]
                    let binary code (a: Entry) (b: Entry) =
                        { Kind = StepKind.Binary; Code = code; Op = op; A = a.Src; B = b.Src; C = none; N = 0; Dest = dest }
                    let multiplyAdd (x: Source) (y: Source) (addend: Source) =
                        { Kind = StepKind.MultiplyAdd; Code = code; Op = op; A = x; B = y; C = addend; N = 0; Dest = dest }
                    let negatedKnown (e: Entry) = register (newRegister -e.Known.Value)
                    let commutative = code = Code.Add || code = Code.Mul || code = Code.Max || code = Code.Min
                    // Commutative operators take their vector first, so a register is always the second operand.
                    let a, b = if commutative && not (isVector a) then b, a else a, b
                    match code with
                    | Code.Other -> emit { binary code a b with Kind = StepKind.OtherBinary }
                    | Code.Add when producedByLastProduct b || producedByLastProduct a ->
                        let product, addend = if producedByLastProduct b then b, a else a, b
                        let x, y = factors product
                        removeLastStep ()
                        emit (multiplyAdd x y addend.Src)
                    | Code.Sub when producedByLastProduct a && b.Known.IsSome ->
                        let x, y = factors a
                        removeLastStep ()
                        emit (multiplyAdd x y (negatedKnown b))
                    | Code.Sub when producedByLastProduct b && (snd (factors b)).Kind = SourceKind.Register ->
                        // c - x*k = x*(-k) + c; the negated factor is a register computed once per evaluation.
                        let x, y = factors b
                        removeLastStep ()
                        let k = newRegister 0.0
                        prologue.Add { Op = Operators.indexOf "neg"; Left = y.Index; Right = -1; Dest = k }
                        emit (multiplyAdd x (register k) a.Src)
                    | Code.Pow when b.Known.IsSome && isIntegral b.Known.Value ->
                        emit
                            { Kind = StepKind.IntPower; Code = code; Op = op; A = a.Src; B = none; C = none
                              N = int b.Known.Value; Dest = dest }
                    | Code.Pow when b.Known = ValueSome 0.5 ->
                        emit { Kind = StepKind.Unary; Code = Code.Sqrt; Op = op; A = a.Src; B = none; C = none; N = 0; Dest = dest }
                    | _ -> emit (binary code a b)
            depth <- max depth stack.Count
        let result = stack[0]
        if result.Src.Kind = SourceKind.Temp then
            let last = steps.Count - 1
            steps[last] <- { steps[last] with Dest = -1 }
        let temps = steps |> Seq.fold (fun m s -> max m (s.Dest + 1)) 0
        ExecutionPlan(steps.ToArray(), prologue.ToArray(), registers.ToArray(), temps, result.Src), depth

    /// Checks that instructions refer to existing variables, parameters and operators and leave exactly one value.
    let validate (variableCount: int) (parameterCount: int) (instructions: Instruction[]) : Result<unit, string> =
        let rec go i depth =
            if i = instructions.Length then
                if depth = 1 then Ok()
                else Error(sprintf "the program leaves %d values on the stack; it must leave exactly one" depth)
            else
                match instructions[i] with
                | LoadVariable v when v < 0 || v >= variableCount ->
                    Error(sprintf "instruction %d loads variable %d; the program has %d variables" i v variableCount)
                | LoadParameter k when k < 0 || k >= parameterCount ->
                    Error(sprintf "instruction %d loads parameter %d; the program has %d parameters" i k parameterCount)
                | LoadVariable _ | LoadParameter _ | LoadConstant _ -> go (i + 1) (depth + 1)
                | Call op when op < 0 || op >= List.length (Operators.all ()) ->
                    Error(sprintf "instruction %d calls operator %d, which is not in the operator table" i op)
                | Call op ->
                    let arity = (Operators.byIndex op).Arity
                    if depth < arity then
                        Error(sprintf "instruction %d (%s) needs %d values but the stack holds %d" i
                                  (Operators.byIndex op).Name arity depth)
                    else go (i + 1) (depth - arity + 1)
        go 0 0

    /// A program from postfix instructions over the given variables (column order) and parameters (names and values).
    /// Validates the instructions and precomputes the execution plan; errors say which instruction is wrong.
    [<CompiledName("Create")>]
    let create (variables: string[]) (parameters: string[]) (parameterValues: float[]) (instructions: Instruction[])
        : Result<Program, string> =
        if parameters.Length <> parameterValues.Length then
            Error(sprintf "%d parameter names but %d values" parameters.Length parameterValues.Length)
        else
            validate variables.Length parameters.Length instructions
            |> Result.map (fun () ->
                let plan, depth = plan instructions parameters.Length
                { Instructions = Array.copy instructions
                  Variables = Array.copy variables
                  Parameters = Array.copy parameters
                  ParameterValues = Array.copy parameterValues
                  StackDepth = depth
                  Plan = plan })

    /// The same program with other parameter values (no re-planning).
    [<CompiledName("WithParameterValues")>]
    let withParameterValues (values: float[]) (program: Program) : Program =
        if values.Length <> program.Parameters.Length then
            invalidArg "values" (sprintf "the program has %d parameters, %d values given" program.Parameters.Length values.Length)
        { program with ParameterValues = Array.copy values }

    /// Number of nodes the program evaluates per row (one per instruction).
    [<CompiledName("NodeCount")>]
    let nodeCount (program: Program) = program.Instructions.Length

    /// A readable listing, one instruction per line, e.g. `load x`, `const 2`, `call sin`.
    [<CompiledName("Format")>]
    let format (program: Program) : string =
        program.Instructions
        |> Array.map (function
            | LoadVariable v -> sprintf "load %s" program.Variables[v]
            | LoadConstant x -> sprintf "const %s" (x.ToString("R", Globalization.CultureInfo.InvariantCulture))
            | LoadParameter k -> sprintf "param %s" program.Parameters[k]
            | Call op -> sprintf "call %s" (Operators.byIndex op).Name)
        |> String.concat "\n"
